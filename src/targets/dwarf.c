/* SPDX-License-Identifier: GPL-3.0-or-later */
/* DWARF types (SPEC §10) through the target's Dwfl: a symbol's variable
 * DIE, and its type turned into the neutral struct zx_type that evaluation,
 * printing and --value parsing walk. Nothing here outlives the command: the
 * types live in the caller's arena, the Dwfl belongs to the target. */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "targets/dwarf.h"
#include "targets/internal.h"

#define NAME_DEPTH 16          /* pointer/qualifier levels spelled out */
#define CONV_DEPTH 64          /* nesting of aggregates and typedefs */
#define MAX_DIMS 16

/* The DIE an attribute of die refers to (following DW_AT_specification
 * and DW_AT_abstract_origin). */
static bool
ref_die(Dwarf_Die *die, unsigned attr, Dwarf_Die *out)
{
	Dwarf_Attribute a;

	return dwarf_attr_integrate(die, attr, &a) != NULL &&
	    dwarf_formref_die(&a, out) != NULL;
}

static bool
udata(Dwarf_Die *die, unsigned attr, Dwarf_Word *v)
{
	Dwarf_Attribute a;

	return dwarf_attr_integrate(die, attr, &a) != NULL &&
	    dwarf_formudata(&a, v) == 0;
}

/* --- names, as C spells them ------------------------------------------- */

static void type_name(Dwarf_Die *, char *, size_t, int);

static void
params(Dwarf_Die *fn, char *buf, size_t len, int depth)
{
	Dwarf_Die c;
	bool any = false;

	strlcat(buf, "(", len);
	if (dwarf_child(fn, &c) == 0)
		do {
			char one[256] = "";
			Dwarf_Die t;

			if (dwarf_tag(&c) == DW_TAG_unspecified_parameters) {
				strlcat(buf, any ? ", ..." : "...", len);
				any = true;
				continue;
			}
			if (dwarf_tag(&c) != DW_TAG_formal_parameter)
				continue;
			type_name(ref_die(&c, DW_AT_type, &t) ? &t : NULL, one,
			    sizeof(one), depth + 1);
			if (any)
				strlcat(buf, ", ", len);
			strlcat(buf, one, len);
			any = true;
		} while (dwarf_siblingof(&c, &c) == 0);
	if (!any && dwarf_hasattr(fn, DW_AT_prototyped))
		strlcat(buf, "void", len);
	strlcat(buf, ")", len);
}

static void
type_name(Dwarf_Die *die, char *buf, size_t len, int depth)
{
	const char *name = die != NULL ? dwarf_diename(die) : NULL;
	char inner[512] = "";
	Dwarf_Die t, *tp;
	const char *q = NULL;

	buf[0] = '\0';
	if (die == NULL) {
		strlcpy(buf, "void", len);
		return;
	}
	if (depth > NAME_DEPTH) {
		strlcpy(buf, "...", len);
		return;
	}
	tp = ref_die(die, DW_AT_type, &t) ? &t : NULL;
	switch (dwarf_tag(die)) {
	case DW_TAG_structure_type:
	case DW_TAG_class_type:
	case DW_TAG_union_type:
	case DW_TAG_enumeration_type:
		snprintf(buf, len, "%s %s", dwarf_tag(die) == DW_TAG_union_type ?
		    "union" : dwarf_tag(die) == DW_TAG_enumeration_type ? "enum" :
		    dwarf_tag(die) == DW_TAG_class_type ? "class" : "struct",
		    name ? name : "{...}");
		return;
	case DW_TAG_pointer_type:
	case DW_TAG_reference_type:
	case DW_TAG_rvalue_reference_type: {
		const char *op = dwarf_tag(die) == DW_TAG_pointer_type ? "*" :
		    dwarf_tag(die) == DW_TAG_reference_type ? "&" : "&&";

		if (tp != NULL && dwarf_tag(tp) == DW_TAG_subroutine_type) {
			Dwarf_Die r;

			type_name(ref_die(tp, DW_AT_type, &r) ? &r : NULL, inner,
			    sizeof(inner), depth + 1);
			snprintf(buf, len, "%s (%s)", inner, op);
			params(tp, buf, len, depth);
			return;
		}
		type_name(tp, inner, sizeof(inner), depth + 1);
		snprintf(buf, len, "%s%s%s", inner,
		    inner[0] && inner[strlen(inner) - 1] == '*' ? "" : " ", op);
		return;
	}
	case DW_TAG_const_type: q = "const"; break;
	case DW_TAG_volatile_type: q = "volatile"; break;
	case DW_TAG_restrict_type: q = "restrict"; break;
	case DW_TAG_atomic_type: q = "_Atomic"; break;
	case DW_TAG_array_type: {
		Dwarf_Die c;

		type_name(tp, buf, len, depth + 1);
		strlcat(buf, " ", len);
		if (dwarf_child(die, &c) == 0)
			do {
				Dwarf_Word n;
				char dim[32] = "[]";

				if (dwarf_tag(&c) != DW_TAG_subrange_type)
					continue;
				if (udata(&c, DW_AT_count, &n))
					snprintf(dim, sizeof(dim), "[%" PRIu64 "]", n);
				else if (udata(&c, DW_AT_upper_bound, &n))
					snprintf(dim, sizeof(dim), "[%" PRIu64 "]", n + 1);
				strlcat(buf, dim, len);
			} while (dwarf_siblingof(&c, &c) == 0);
		return;
	}
	case DW_TAG_subroutine_type:
		type_name(tp, buf, len, depth + 1);
		strlcat(buf, " ", len);
		params(die, buf, len, depth);
		return;
	default:
		strlcpy(buf, name ? name : "?", len);
		return;
	}
	/* A qualifier: after a pointer ("char * const"), else before. */
	type_name(tp, inner, sizeof(inner), depth + 1);
	if (tp != NULL && dwarf_tag(tp) == DW_TAG_pointer_type)
		snprintf(buf, len, "%s %s", inner, q);
	else
		snprintf(buf, len, "%s %s", q, inner);
}

/* --- conversion to struct zx_type --------------------------------------- */

struct memo {
	Dwarf_Off off;
	struct zx_type *t;
};

/* A pointer whose pointee is converted after the type that holds it, so a
 * recursive type is a cycle, never endless recursion. */
struct pending {
	struct zx_type *ptr;
	Dwarf_Die pointee;
};

struct conv {
	struct zx_types *types;
	struct memo *memo;
	size_t nmemo, capmemo;     /* open addressing; cap a power of two */
	struct pending *pend;
	size_t npend, cappend;
	bool nomem;
	const struct zx_type *void_type;
};

static size_t
slot(const struct conv *c, Dwarf_Off off)
{
	return (size_t)((off * 0x9e3779b97f4a7c15ull) >> 17) & (c->capmemo - 1);
}

static struct zx_type *
memo_get(struct conv *c, Dwarf_Off off)
{
	if (c->capmemo == 0)
		return NULL;
	for (size_t i = slot(c, off);; i = (i + 1) & (c->capmemo - 1)) {
		if (c->memo[i].t == NULL)
			return NULL;
		if (c->memo[i].off == off)
			return c->memo[i].t;
	}
}

static bool
memo_put(struct conv *c, Dwarf_Off off, struct zx_type *t)
{
	if ((c->nmemo + 1) * 2 > c->capmemo) {
		size_t cap = c->capmemo ? c->capmemo * 2 : 256;
		struct memo *old = c->memo, *m = calloc(cap, sizeof(*m));
		size_t oldcap = c->capmemo;

		if (m == NULL)
			return false;
		c->memo = m;
		c->capmemo = cap;
		for (size_t i = 0; i < oldcap; i++)
			if (old[i].t != NULL) {
				size_t j = slot(c, old[i].off);

				while (m[j].t != NULL)
					j = (j + 1) & (cap - 1);
				m[j] = old[i];
			}
		free(old);
	}
	size_t i = slot(c, off);

	while (c->memo[i].t != NULL)
		i = (i + 1) & (c->capmemo - 1);
	c->memo[i].off = off;
	c->memo[i].t = t;
	c->nmemo++;
	return true;
}

static void
pend(struct conv *c, struct zx_type *ptr, Dwarf_Die *pointee)
{
	if (c->npend == c->cappend) {
		size_t cap = c->cappend ? c->cappend * 2 : 32;
		struct pending *p = reallocarray(c->pend, cap, sizeof(*p));

		if (p == NULL) {
			c->nomem = true;
			return;
		}
		c->pend = p;
		c->cappend = cap;
	}
	c->pend[c->npend].ptr = ptr;
	c->pend[c->npend].pointee = *pointee;
	c->npend++;
}

static const struct zx_type *conv(struct conv *, Dwarf_Die *, int depth);

static void
conv_base(struct zx_type *t, Dwarf_Die *die)
{
	Dwarf_Word enc = 0;

	(void)udata(die, DW_AT_encoding, &enc);
	switch (enc) {
	case DW_ATE_boolean:
		t->kind = ZX_T_BOOL;
		break;
	case DW_ATE_float:
		t->kind = ZX_T_FLOAT;
		break;
	case DW_ATE_signed:
	case DW_ATE_signed_char:
		t->kind = ZX_T_INT;
		t->is_signed = true;
		t->is_char = enc == DW_ATE_signed_char;
		break;
	case DW_ATE_unsigned:
	case DW_ATE_unsigned_char:
	case DW_ATE_UTF:
		t->kind = ZX_T_INT;
		t->is_char = enc == DW_ATE_unsigned_char;
		break;
	default:
		t->kind = ZX_T_OTHER;
		break;
	}
}

/* A member's place: bytes, then bits for a bitfield (DWARF 5's
 * data_bit_offset or DWARF 4's MSB-first bit_offset). */
static void
member_place(Dwarf_Die *m, const struct zx_type *mt, struct zx_member *out)
{
	Dwarf_Word loc = 0, bits = 0, dbo, bo, storage;
	Dwarf_Attribute a;
	uint64_t total;

	if (dwarf_attr(m, DW_AT_data_member_location, &a) != NULL &&
	    dwarf_formudata(&a, &loc) != 0) {
		Dwarf_Op *ops;
		size_t n;

		loc = 0;
		if (dwarf_getlocation(&a, &ops, &n) == 0 && n == 1 &&
		    ops[0].atom == DW_OP_plus_uconst)
			loc = ops[0].number;
	}
	if (!udata(m, DW_AT_bit_size, &bits) || bits == 0 || bits > 64) {
		out->offset = loc;
		return;
	}
	if (udata(m, DW_AT_data_bit_offset, &dbo)) {
		total = dbo;
	} else if (udata(m, DW_AT_bit_offset, &bo)) {
		if (!udata(m, DW_AT_byte_size, &storage))
			storage = mt->size;
		total = loc * 8 + storage * 8 - bo - bits;
	} else {
		total = loc * 8;
	}
	out->offset = total / 8;
	out->bit_offset = (uint32_t)(total % 8);
	out->bit_size = (uint32_t)bits;
}

static void
conv_aggregate(struct conv *c, struct zx_type *t, Dwarf_Die *die, int depth)
{
	struct zx_member *ms;
	Dwarf_Die m;
	size_t n = 0, i = 0;

	t->kind = dwarf_tag(die) == DW_TAG_union_type ? ZX_T_UNION : ZX_T_STRUCT;
	if (dwarf_hasattr(die, DW_AT_declaration)) {
		t->sized = false;
		return;
	}
	if (dwarf_child(die, &m) != 0)
		return;
	do
		n += dwarf_tag(&m) == DW_TAG_member &&
		    !dwarf_hasattr(&m, DW_AT_declaration);
	while (dwarf_siblingof(&m, &m) == 0);
	if (n == 0 || (ms = zx_types_alloc(c->types, n * sizeof(*ms))) == NULL) {
		c->nomem |= n > 0;
		return;
	}
	dwarf_child(die, &m);
	do {
		Dwarf_Die mt;
		const char *name;

		if (dwarf_tag(&m) != DW_TAG_member ||
		    dwarf_hasattr(&m, DW_AT_declaration))
			continue;
		name = dwarf_diename(&m);
		ms[i].name = zx_types_strdup(c->types, name ? name : "");
		ms[i].type = conv(c, ref_die(&m, DW_AT_type, &mt) ? &mt : NULL,
		    depth + 1);
		if (ms[i].name == NULL || ms[i].type == NULL) {
			c->nomem = true;
			return;
		}
		member_place(&m, ms[i].type, &ms[i]);
		i++;
	} while (i < n && dwarf_siblingof(&m, &m) == 0);
	t->members = ms;
	t->nmembers = i;
}

static void
conv_enum(struct conv *c, struct zx_type *t, Dwarf_Die *die)
{
	struct zx_enumerator *es;
	Dwarf_Die e, base;
	size_t n = 0, i = 0;
	bool any_negative = false;

	t->kind = ZX_T_ENUM;
	if (dwarf_child(die, &e) != 0)
		return;
	do
		n += dwarf_tag(&e) == DW_TAG_enumerator;
	while (dwarf_siblingof(&e, &e) == 0);
	if (n == 0 || (es = zx_types_alloc(c->types, n * sizeof(*es))) == NULL) {
		c->nomem |= n > 0;
		return;
	}
	dwarf_child(die, &e);
	do {
		Dwarf_Attribute a;
		Dwarf_Sword v = 0;
		const char *name = dwarf_diename(&e);

		if (dwarf_tag(&e) != DW_TAG_enumerator)
			continue;
		if (dwarf_attr(&e, DW_AT_const_value, &a) != NULL)
			(void)dwarf_formsdata(&a, &v);
		es[i].name = zx_types_strdup(c->types, name ? name : "?");
		es[i].value = v;
		any_negative |= v < 0;
		if (es[i].name == NULL) {
			c->nomem = true;
			return;
		}
		i++;
	} while (i < n && dwarf_siblingof(&e, &e) == 0);
	t->enums = es;
	t->nenums = i;
	/* The underlying type says the sign; without one, the constants do. */
	if (ref_die(die, DW_AT_type, &base) && dwarf_peel_type(&base, &base) == 0) {
		Dwarf_Word enc = 0;

		(void)udata(&base, DW_AT_encoding, &enc);
		t->is_signed = enc == DW_ATE_signed || enc == DW_ATE_signed_char;
	} else {
		t->is_signed = any_negative;
	}
}

static void
conv_array(struct conv *c, struct zx_type *t, Dwarf_Die *die, int depth)
{
	uint64_t counts[MAX_DIMS];
	bool known[MAX_DIMS];
	size_t nd = 0;
	const struct zx_type *cur;
	Dwarf_Die sub, et;

	t->kind = ZX_T_ARRAY;
	if (dwarf_child(die, &sub) == 0)
		do {
			Dwarf_Word n;

			if (dwarf_tag(&sub) != DW_TAG_subrange_type || nd == MAX_DIMS)
				continue;
			known[nd] = true;
			if (udata(&sub, DW_AT_count, &n))
				counts[nd] = n;
			else if (udata(&sub, DW_AT_upper_bound, &n))
				counts[nd] = n + 1;
			else
				known[nd] = false, counts[nd] = 0;
			nd++;
		} while (dwarf_siblingof(&sub, &sub) == 0);
	cur = conv(c, ref_die(die, DW_AT_type, &et) ? &et : NULL, depth + 1);
	if (cur == NULL || nd == 0) {
		c->nomem |= cur == NULL;
		t->elem = cur;
		return;
	}
	/* int m[2][3]: an array of 2 "int [3]". */
	const struct zx_type *elem = cur;

	for (size_t d = nd; d-- > 0;) {
		struct zx_type *a = d == 0 ? t : zx_types_alloc(c->types, sizeof(*a));

		if (a == NULL) {
			c->nomem = true;
			return;
		}
		a->kind = ZX_T_ARRAY;
		a->elem = cur;
		a->count = counts[d];
		a->count_known = known[d];
		a->sized = known[d] && cur->sized &&
		    (cur->size == 0 || counts[d] <= UINT64_MAX / cur->size);
		a->size = a->sized ? counts[d] * cur->size : 0;
		if (d > 0) {
			char name[512];

			snprintf(name, sizeof(name), "%s ", elem->name);
			for (size_t k = d; k < nd; k++) {
				char dim[32];

				snprintf(dim, sizeof(dim), "[%" PRIu64 "]", counts[k]);
				strlcat(name, dim, sizeof(name));
			}
			if ((a->name = zx_types_strdup(c->types, name)) == NULL) {
				c->nomem = true;
				return;
			}
		}
		cur = a;
	}
}

static const struct zx_type *
conv(struct conv *c, Dwarf_Die *die, int depth)
{
	struct zx_type *t;
	char name[512];
	Dwarf_Die inner;
	Dwarf_Word size;
	Dwarf_Off off;

	if (die == NULL)
		return c->void_type;
	off = dwarf_dieoffset(die);
	if ((t = memo_get(c, off)) != NULL)
		return t;
	if ((t = zx_types_alloc(c->types, sizeof(*t))) == NULL ||
	    !memo_put(c, off, t)) {
		c->nomem = true;
		return NULL;
	}
	type_name(die, name, sizeof(name), 0);
	if ((t->name = zx_types_strdup(c->types, name)) == NULL) {
		c->nomem = true;
		return NULL;
	}
	t->kind = ZX_T_OTHER;
	if (udata(die, DW_AT_byte_size, &size)) {
		t->size = size;
		t->sized = true;
	}
	if (depth > CONV_DEPTH)
		return t;
	switch (dwarf_tag(die)) {
	case DW_TAG_base_type:
		conv_base(t, die);
		break;
	case DW_TAG_typedef:
	case DW_TAG_const_type:
	case DW_TAG_volatile_type:
	case DW_TAG_restrict_type:
	case DW_TAG_atomic_type: {
		const struct zx_type *in = conv(c, ref_die(die, DW_AT_type, &inner) ?
		    &inner : NULL, depth + 1);
		const char *keep = t->name;
		Dwarf_Die peeled, pointee;

		if (in == NULL)
			return NULL;
		*t = *in;
		t->name = keep;
		t->is_const |= dwarf_tag(die) == DW_TAG_const_type;
		/* A pointer's pointee may still be pending: wait for it too. */
		if (t->kind == ZX_T_POINTER && t->target == NULL &&
		    dwarf_peel_type(die, &peeled) == 0 &&
		    ref_die(&peeled, DW_AT_type, &pointee))
			pend(c, t, &pointee);
		break;
	}
	case DW_TAG_pointer_type:
	case DW_TAG_reference_type:
	case DW_TAG_rvalue_reference_type:
		t->kind = ZX_T_POINTER;
		if (!t->sized) {
			t->size = 8;
			t->sized = true;
		}
		if (ref_die(die, DW_AT_type, &inner))
			pend(c, t, &inner);
		break;
	case DW_TAG_structure_type:
	case DW_TAG_class_type:
	case DW_TAG_union_type:
		conv_aggregate(c, t, die, depth);
		break;
	case DW_TAG_enumeration_type:
		conv_enum(c, t, die);
		break;
	case DW_TAG_array_type:
		conv_array(c, t, die, depth);
		break;
	case DW_TAG_subroutine_type:
		t->kind = ZX_T_FUNC;
		t->sized = false;
		break;
	case DW_TAG_unspecified_type:
		t->kind = ZX_T_VOID;
		break;
	default:
		break;
	}
	return t;
}

/* The type at die, with every pointer's pointee converted. */
static const struct zx_type *
convert(struct zx_types *types, Dwarf_Die *die)
{
	struct conv c = { .types = types };
	struct zx_type *v = zx_types_alloc(types, sizeof(*v));
	const struct zx_type *t = NULL;

	if (v == NULL)
		return NULL;
	v->kind = ZX_T_VOID;
	v->name = "void";
	c.void_type = v;
	t = conv(&c, die, 0);
	while (t != NULL && !c.nomem && c.npend > 0) {
		struct pending p = c.pend[--c.npend];

		p.ptr->target = conv(&c, &p.pointee, 0);
		if (p.ptr->target == NULL)
			c.nomem = true;
	}
	free(c.memo);
	free(c.pend);
	return c.nomem ? NULL : t;
}

/* --- the variable ------------------------------------------------------- */

static bool
is_tls_op(unsigned atom)
{
	return atom == DW_OP_form_tls_address || atom == DW_OP_GNU_push_tls_address;
}

/* The top-level variable of mod at addr (DW_OP_addr + bias: unique even
 * among same-named statics of several CUs), or, for TLS (addr 0), the
 * thread-local variable named name. */
static bool
find_variable(Dwfl_Module *mod, uint64_t addr, const char *name,
    Dwarf_Die *out)
{
	Dwarf_Die *cu = NULL;
	Dwarf_Addr bias;

	if (dwfl_module_getdwarf(mod, &bias) == NULL)
		return false;
	while ((cu = dwfl_module_nextcu(mod, cu, &bias)) != NULL) {
		Dwarf_Die d;

		if (dwarf_child(cu, &d) != 0)
			continue;
		do {
			Dwarf_Attribute a;
			Dwarf_Op *ops;
			size_t n;
			const char *dn;

			if (dwarf_tag(&d) != DW_TAG_variable ||
			    dwarf_attr(&d, DW_AT_location, &a) == NULL ||
			    dwarf_getlocation(&a, &ops, &n) != 0)
				continue;
			if (addr != 0 && n == 1 && ops[0].atom == DW_OP_addr &&
			    ops[0].number + bias == addr) {
				*out = d;
				return true;
			}
			if (addr == 0 && n == 2 && is_tls_op(ops[1].atom) &&
			    (dn = dwarf_diename(&d)) != NULL && strcmp(dn, name) == 0) {
				*out = d;
				return true;
			}
		} while (dwarf_siblingof(&d, &d) == 0);
	}
	return false;
}

/* A thread-local symbol: its address is in a thread's TLS block, in no
 * module, so the module is the one whose symbol table defines it. */
struct tls_search {
	const char *object, *name;
	Dwfl_Module *mod;
	uint64_t size;
};

static int
tls_each(Dwfl_Module *mod, void **ud, const char *mname, Dwarf_Addr base,
    void *arg)
{
	struct tls_search *q = arg;
	int n = dwfl_module_getsymtab(mod);
	const char *base_name = strrchr(mname, '/');

	(void)ud;
	(void)base;
	base_name = base_name ? base_name + 1 : mname;
	if (q->object != NULL && strcmp(q->object, mname) != 0 &&
	    strncmp(base_name, q->object, strlen(q->object)) != 0)
		return DWARF_CB_OK;
	for (int i = 1; i < n; i++) {
		GElf_Sym sym;
		GElf_Addr a;
		const char *sn = dwfl_module_getsym_info(mod, i, &sym, &a, NULL,
		    NULL, NULL);

		if (sn != NULL && GELF_ST_TYPE(sym.st_info) == STT_TLS &&
		    sym.st_shndx != SHN_UNDEF && strcmp(sn, q->name) == 0) {
			q->mod = mod;
			q->size = sym.st_size;
			return DWARF_CB_ABORT;
		}
	}
	return DWARF_CB_OK;
}

/* The name in a symbol table, as the user may write it (demangled). */
static bool
same_name(const char *table_name, const char *symbol)
{
	char *dm;
	bool same;

	if (strcmp(table_name, symbol) == 0)
		return true;
	if ((dm = sym_demangle(table_name)) == NULL)
		return false;
	same = strcmp(dm, symbol) == 0;
	free(dm);
	return same;
}

static uint64_t
size_by_name(Dwfl_Module *mod, uint64_t addr, const char *symbol)
{
	int n = dwfl_module_getsymtab(mod);

	for (int i = 1; i < n; i++) {
		GElf_Sym sym;
		GElf_Addr a;
		const char *sn = dwfl_module_getsym_info(mod, i, &sym, &a, NULL,
		    NULL, NULL);

		if (sn != NULL && a == addr && same_name(sn, symbol))
			return sym.st_size;
	}
	return 0;
}

zx_status_t
dw_describe(struct zx_aspace *as, const char *object, const char *symbol,
    uint64_t addr, struct zx_types *types, const struct zx_type **type,
    uint64_t *size, struct zx_err *err)
{
	Dwfl *dwfl;
	Dwfl_Module *mod;
	Dwarf_Die var, t;
	const char *name;
	GElf_Off off;
	GElf_Sym sym;
	uint64_t at = addr;

	*size = 0;
	if (type != NULL)
		*type = NULL;
	if ((dwfl = aspace_dwfl(as, err)) == NULL)
		return err->status;
	/* The symbol resolve found, in the module holding its address; an
	 * alias there (_edata and a copy-relocated stdout) has its own size. */
	if ((mod = dwfl_addrmodule(dwfl, addr)) != NULL &&
	    (name = dwfl_module_addrinfo(mod, addr, &off, &sym, NULL, NULL,
	    NULL)) != NULL && off == 0)
		*size = same_name(name, symbol) ? sym.st_size :
		    size_by_name(mod, addr, symbol);
	if (mod == NULL) {
		struct tls_search q = { object, symbol, NULL, 0 };

		dwfl_getmodules(dwfl, tls_each, &q, 0);
		if ((mod = q.mod) == NULL)
			return ZX_OK;
		*size = q.size;
		at = 0;
	}
	if (types == NULL || type == NULL)
		return ZX_OK;
	if (!find_variable(mod, at, symbol, &var) ||
	    !ref_die(&var, DW_AT_type, &t))
		return ZX_OK;
	if ((*type = convert(types, &t)) == NULL)
		return zx_fail(err, ZX_ERR_NO_MEMORY, "out of memory building the "
		    "type of '%s'", symbol);
	return ZX_OK;
}

bool
dw_label(struct zx_aspace *as, uint64_t addr, char *buf, size_t len)
{
	struct zx_err err;
	Dwfl *dwfl = aspace_dwfl(as, &err);
	Dwfl_Module *mod;
	const char *name;
	GElf_Off off;
	GElf_Sym sym;
	char *dm;

	if (dwfl == NULL || (mod = dwfl_addrmodule(dwfl, addr)) == NULL ||
	    (name = dwfl_module_addrinfo(mod, addr, &off, &sym, NULL, NULL,
	    NULL)) == NULL)
		return false;
	dm = sym_demangle(name);
	if (off != 0)
		snprintf(buf, len, "%s+%" PRIu64, dm ? dm : name, (uint64_t)off);
	else
		snprintf(buf, len, "%s", dm ? dm : name);
	free(dm);
	return true;
}
