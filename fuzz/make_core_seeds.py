#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Seeds for fuzz/fuzz_core.c: small ELF core files (ET_CORE).

    python3 fuzz/make_core_seeds.py [OUTDIR]          synthetic seeds
    python3 fuzz/make_core_seeds.py --shrink CORE OUT  a real core, shrunk

Without arguments the synthetic seeds are (re)written to fuzz/corpus/core/.
Each is built from scratch: an ELF header, program headers (PT_NOTE first,
then PT_LOADs, as the kernel and gcore write them), a note segment with
NT_PRSTATUS (zeros), NT_AUXV (AT_SYSINFO_EHDR inside the vDSO segment,
AT_ENTRY inside the executable) and NT_FILE naming two files, then a few
bytes of each segment (p_filesz is small, often less than p_memsz). The
variants cover ELFCLASS32, big-endian, truncated files, overlapping or
unsorted segments and the other ways core_parse must refuse a core.

--shrink keeps a real core's ELF header, program headers and "CORE" notes
(NT_PRSTATUS, NT_AUXV, NT_FILE, ...; not gdb's XML target description or
the XSAVE area), drops the section headers and cuts every PT_LOAD to at
most 64 file bytes (p_filesz; p_memsz unchanged), so a gcore core of
hundreds of kilobytes becomes a seed of a few. fuzz/corpus/core/gcore-x86_64
was made so from `gcore` of a process that sleeps (Debian 12, x86-64).
"""
import os
import struct
import sys

ET_EXEC, ET_CORE = 2, 4
PT_LOAD, PT_NOTE = 1, 4
PF_X, PF_W, PF_R = 1, 2, 4
NT_PRSTATUS, NT_AUXV, NT_FILE = 1, 6, 0x46494C45
AT_NULL, AT_PAGESZ, AT_ENTRY, AT_SYSINFO_EHDR = 0, 6, 9, 33
EM_386, EM_PPC, EM_PPC64, EM_X86_64 = 3, 20, 21, 62
VSYSCALL = 0xFFFFFFFFFF600000


def align(n, a):
    return (n + a - 1) // a * a


class Core:
    """One synthetic core; attributes are the knobs the variants turn."""

    def __init__(self, wide=True, big=False, machine=None):
        self.wide = wide
        self.big = big
        self.machine = machine if machine is not None else (
            (EM_PPC64 if big else EM_X86_64) if wide else
            (EM_PPC if big else EM_386))
        self.e_type = ET_CORE
        self.page = 0x1000
        base = 0x400000 if wide else 0x8048000
        libc = 0x7F0000000000 if wide else 0xF7D00000
        vvar = 0x7FFF00000000 if wide else 0xF7F00000
        stack = 0x7FFFFF000000 if wide else 0xFF000000
        # (vaddr, memsz, filesz, flags)
        self.loads = [
            (base, 0x1000, 0x40, PF_R | PF_X),
            (base + 0x1000, 0x1000, 0x20, PF_R | PF_W),
            (libc, 0x2000, 0x40, PF_R | PF_X),
            (libc + 0x2000, 0x1000, 0x10, PF_R),
            (vvar, 0x4000, 0, PF_R),                  # [vvar]: no file bytes
            (vvar + 0x4000, 0x2000, 0x40, PF_R | PF_X),   # [vdso]
            (stack, 0x1000, 0x30, PF_R | PF_W),
        ]
        if wide and not big:
            self.loads.append((VSYSCALL, 0x1000, 0x10, PF_R | PF_X))
        self.vdso = vvar + 0x4000
        self.auxv = [(AT_PAGESZ, 0x1000), (AT_SYSINFO_EHDR, self.vdso),
                     (AT_ENTRY, base + 0x80), (AT_NULL, 0)]
        # (start, end, page offset, name)
        self.files = [
            (base, base + 0x2000, 0, b"/usr/bin/sleep"),
            (libc, libc + 0x3000, 0x28, b"/usr/lib/x86_64-linux-gnu/libc.so.6"),
        ]
        self.notes = None          # None: built from auxv and files
        self.extra_phdrs = []      # raw (type, flags, offset, vaddr, filesz, memsz)
        self.truncate = None       # cut the file to this many bytes
        self.note_size_delta = 0   # added to the PT_NOTE's p_filesz
        self.phnum_override = None
        self.load_offsets = {}     # PT_LOAD index -> p_offset to write instead

    # -- encoding -----------------------------------------------------------
    def e(self):
        return ">" if self.big else "<"

    def word(self, v):
        return struct.pack(self.e() + ("Q" if self.wide else "I"),
                           v & (0xFFFFFFFFFFFFFFFF if self.wide else 0xFFFFFFFF))

    def note(self, name, ntype, desc):
        name = name + b"\0"
        out = struct.pack(self.e() + "III", len(name), len(desc), ntype)
        out += name + b"\0" * (align(len(name), 4) - len(name))
        out += desc + b"\0" * (align(len(desc), 4) - len(desc))
        return out

    def nt_file(self, files, count=None):
        d = self.word(len(files) if count is None else count) + self.word(self.page)
        for start, end, pofs, _ in files:
            d += self.word(start) + self.word(end) + self.word(pofs)
        for *_, name in files:
            d += name + b"\0"
        return d

    def build_notes(self):
        if self.notes is not None:
            return self.notes
        prstatus = b"\0" * (336 if self.wide else 144)
        auxv = b"".join(self.word(t) + self.word(v) for t, v in self.auxv)
        return (self.note(b"CORE", NT_PRSTATUS, prstatus) +
                self.note(b"CORE", NT_AUXV, auxv) +
                self.note(b"CORE", NT_FILE, self.nt_file(self.files)))

    def phdr(self, ptype, flags, off, vaddr, filesz, memsz, palign):
        if self.wide:
            return struct.pack(self.e() + "IIQQQQQQ", ptype, flags, off, vaddr,
                               0, filesz, memsz, palign)
        return struct.pack(self.e() + "IIIIIIII", ptype, off & 0xFFFFFFFF,
                           vaddr & 0xFFFFFFFF, 0, filesz & 0xFFFFFFFF,
                           memsz & 0xFFFFFFFF, flags, palign)

    def build(self):
        ehsize = 64 if self.wide else 52
        phentsize = 56 if self.wide else 32
        phnum = 1 + len(self.loads) + len(self.extra_phdrs)
        notes = self.build_notes()
        note_off = ehsize + phnum * phentsize
        off = align(note_off + len(notes), 16)
        body = bytearray()
        phdrs = [self.phdr(PT_NOTE, 0, note_off, 0,
                           len(notes) + self.note_size_delta, 0, 4)]
        for i, (vaddr, memsz, filesz, flags) in enumerate(self.loads):
            phdrs.append(self.phdr(PT_LOAD, flags, self.load_offsets.get(i, off),
                                   vaddr, filesz, memsz, self.page))
            chunk = bytes((i * 37 + k) & 0xFF for k in range(filesz))
            if vaddr == self.vdso and filesz >= 4:
                chunk = b"\x7fELF" + chunk[4:]
            body += chunk + b"\0" * (align(filesz, 16) - filesz)
            off += align(filesz, 16)
        for ptype, flags, poff, vaddr, filesz, memsz in self.extra_phdrs:
            phdrs.append(self.phdr(ptype, flags, poff, vaddr, filesz, memsz, 1))
        ident = b"\x7fELF" + bytes([2 if self.wide else 1, 2 if self.big else 1,
                                    1, 0]) + b"\0" * 8
        hdr_phnum = phnum if self.phnum_override is None else self.phnum_override
        if self.wide:
            eh = ident + struct.pack(self.e() + "HHIQQQIHHHHHH", self.e_type,
                                     self.machine, 1, 0, ehsize, 0, 0, ehsize,
                                     phentsize, hdr_phnum, 0, 0, 0)
        else:
            eh = ident + struct.pack(self.e() + "HHIIIIIHHHHHH", self.e_type,
                                     self.machine, 1, 0, ehsize, 0, 0, ehsize,
                                     phentsize, hdr_phnum, 0, 0, 0)
        out = eh + b"".join(phdrs) + notes
        out += b"\0" * (align(len(out), 16) - len(out)) + body
        if self.truncate is not None:
            out = out[:self.truncate]
        return bytes(out)


def variants():
    v = {}

    def add(name, core):
        v[name] = core.build()

    add("x86_64", Core())
    add("i386", Core(wide=False))
    add("ppc64be", Core(big=True))
    add("ppcbe32", Core(wide=False, big=True))
    c = Core(big=True)
    c.files = []                           # NT_FILE with no files
    add("ppc64be-nofiles", c)

    c = Core()
    full = c.build()
    c.truncate = len(full) - 0x20          # inside the last segment's bytes
    add("trunc-segment", c)
    c = Core()
    c.loads = []
    c.truncate = 64 + 56 + 40              # inside the notes
    add("trunc-notes", c)
    c = Core()
    c.truncate = 64 + 3 * 56 + 10          # inside the program headers
    add("trunc-phdrs", c)
    c = Core()
    c.truncate = 64 + 36                   # inside the first program header
    add("trunc-phdrs-first", c)
    c = Core(wide=False)
    c.truncate = 52 + 32 + 8               # inside the second, 32-bit
    add("trunc-phdrs32", c)
    c = Core(wide=False)
    c.truncate = 40                        # inside the ELF header
    add("trunc-ehdr32", c)

    # PT_LOADs whose file bytes are those of something else.
    c = Core()
    c.load_offsets = {1: 0}                # the ELF header
    add("load-over-ehdr", c)
    c = Core()
    c.load_offsets = {1: 64 + 56}          # the program headers
    add("load-over-phdrs", c)
    c = Core()
    c.load_offsets = {6: 64 + 10 * 56}     # the notes (just after the phdrs)
    add("load-over-notes", c)
    c = Core(wide=False, big=True)
    c.load_offsets = {6: 52 + 9 * 32 + 4}  # the notes, 32-bit big-endian
    add("load-over-notes32", c)
    c = Core()
    full = c.build()
    c.load_offsets = {3: len(full) - 0x100}   # inside a later segment's bytes
    add("load-over-load", c)

    c = Core()
    c.loads[1] = (c.loads[0][0] + 0x800,) + c.loads[1][1:]
    add("overlap", c)
    c = Core()
    c.loads[0], c.loads[2] = c.loads[2], c.loads[0]
    add("unsorted", c)
    c = Core()
    c.loads[1] = (c.loads[1][0], 0x10, 0x20, c.loads[1][3])
    add("filesz-over-memsz", c)
    c = Core()
    c.loads.append((0xFFFFFFFFFFFFF000, 0x2000, 0, PF_R))
    add("wraps", c)
    c = Core()
    c.loads.insert(1, (c.loads[0][0] + 0x1000, 0, 0, PF_R))
    add("memsz-zero", c)
    c = Core()
    c.loads[3] = (c.loads[2][0] + 0x2000, 0x1000, 0x10, PF_R)
    c.loads[2] = (c.loads[2][0], 0x2000, 0x40, PF_R | PF_X)
    add("adjacent", c)

    c = Core()
    c.notes = (c.note(b"CORE", NT_AUXV, b"".join(c.word(t) + c.word(x)
                                                   for t, x in c.auxv)) +
               c.note(b"CORE", NT_FILE, c.nt_file(c.files, count=1000)))
    add("ntfile-count", c)
    c = Core()
    c.notes = c.note(b"CORE", NT_FILE, c.nt_file(c.files)[:-3])
    add("ntfile-unterminated", c)
    c = Core(wide=False)
    c.notes = c.note(b"CORE", NT_FILE, c.word(1))
    add("ntfile-short32", c)
    c = Core()
    c.notes = c.note(b"LINUX", NT_FILE, c.nt_file(c.files)) + \
        c.note(b"CORE", NT_AUXV, c.word(AT_SYSINFO_EHDR))
    add("notes-other-owner", c)
    c = Core()
    c.note_size_delta = 0x10000
    add("notes-past-eof", c)
    c = Core()
    c.note_size_delta = -6
    add("notes-cut", c)
    c = Core()
    c.auxv = [(AT_SYSINFO_EHDR, VSYSCALL), (AT_ENTRY, 0)]
    c.files = [(0, 0xFFFFFFFFFFFFFFFF, 0xFFFFFFFFFFFFFFFF, b"/all")]
    c.page = 0xFFFFFFFF
    add("vdso-vsyscall", c)
    c = Core()
    c.extra_phdrs.append((PT_NOTE, 0, 0, 0, 64, 0))   # the ELF header as notes
    add("two-notes", c)

    c = Core()
    c.loads = []
    c.notes = b""
    add("empty", c)
    c = Core()
    c.e_type = ET_EXEC
    add("not-core", c)
    c = Core()
    c.phnum_override = 0xFFFF                  # PN_XNUM without section 0
    add("pn-xnum", c)
    v["not-elf"] = b"#!/bin/sh\necho not a core\n"
    return v


def core_notes_only(notes, e):
    """The notes owned by "CORE" (gdb's XML and the XSAVE area go)."""
    out, o = bytearray(), 0
    while o + 12 <= len(notes):
        namesz, descsz, _ = struct.unpack_from(e + "III", notes, o)
        end = o + 12 + align(namesz, 4) + align(descsz, 4)
        if notes[o + 12:o + 12 + namesz] == b"CORE\0":
            out += notes[o:end]
        o = end
    return bytes(out)


def shrink(src, dst, keep=64):
    """Keep headers and notes of a real core; cut each PT_LOAD to keep bytes."""
    data = open(src, "rb").read()
    if data[:4] != b"\x7fELF":
        sys.exit(f"{src}: not an ELF file")
    wide, e = data[4] == 2, ">" if data[5] == 2 else "<"
    if wide:
        phoff, = struct.unpack_from(e + "Q", data, 32)
        phentsize, phnum = struct.unpack_from(e + "HH", data, 54)
    else:
        phoff, = struct.unpack_from(e + "I", data, 28)
        phentsize, phnum = struct.unpack_from(e + "HH", data, 42)
    phdrs = []
    for i in range(phnum):
        o = phoff + i * phentsize
        if wide:
            f = list(struct.unpack_from(e + "IIQQQQQQ", data, o))
            ptype, off, filesz = f[0], f[2], f[5]
        else:
            f = list(struct.unpack_from(e + "IIIIIIII", data, o))
            ptype, off, filesz = f[0], f[1], f[4]
        phdrs.append((f, ptype, off, filesz))
    out = bytearray(data[:phoff + phnum * phentsize])
    out += b"\0" * (align(len(out), 16) - len(out))
    for i, (f, ptype, off, filesz) in enumerate(phdrs):
        chunk = data[off:off + (filesz if ptype == PT_NOTE else min(filesz, keep))]
        if ptype == PT_NOTE:
            chunk = core_notes_only(chunk, e)
        n = len(chunk)
        new_off = len(out)
        out += chunk
        out += b"\0" * (align(len(out), 16) - len(out))
        if wide:
            f[2], f[5] = new_off, n
            struct.pack_into(e + "IIQQQQQQ", out, phoff + i * phentsize, *f)
        else:
            f[1], f[4] = new_off, n
            struct.pack_into(e + "IIIIIIII", out, phoff + i * phentsize, *f)
    # No section headers are kept.
    if wide:
        struct.pack_into(e + "Q", out, 40, 0)
        struct.pack_into(e + "HHH", out, 58, 0, 0, 0)
    else:
        struct.pack_into(e + "I", out, 32, 0)
        struct.pack_into(e + "HHH", out, 46, 0, 0, 0)
    with open(dst, "wb") as fh:
        fh.write(out)
    print(f"{dst}: {len(out)} bytes ({len(data)} before)")


def main(argv):
    if len(argv) == 4 and argv[1] == "--shrink":
        shrink(argv[2], argv[3])
        return
    if len(argv) > 2:
        sys.exit(__doc__)
    here = os.path.dirname(os.path.abspath(__file__))
    outdir = argv[1] if len(argv) == 2 else os.path.join(here, "corpus", "core")
    os.makedirs(outdir, exist_ok=True)
    for name, data in sorted(variants().items()):
        with open(os.path.join(outdir, name), "wb") as fh:
            fh.write(data)
        print(f"{name}: {len(data)} bytes")


if __name__ == "__main__":
    main(sys.argv)
