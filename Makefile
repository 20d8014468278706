# SPDX-License-Identifier: GPL-3.0-or-later
# zxmem — Zircon memory syscalls as a Linux command-line tool.
#   make [all] | check | install | uninstall | bench | fuzz | clean
#   make check SANITIZE=1     ASan + UBSan build in build-san/
#   make V=1                  show compiler command lines

VERSION     = 0.2.0

PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
# Modules (src/targets/module.h): zxmem looks for them in ../libexec/zxmem
# from its own directory, so BINDIR and MODDIR keep this relation.
MODDIR     ?= $(PREFIX)/libexec/zxmem
MANDIR     ?= $(PREFIX)/share/man
DATADIR    ?= $(PREFIX)/share
SYSCONFDIR ?= /etc
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
ZSHCOMPDIR  ?= $(DATADIR)/zsh/site-functions
FISHCOMPDIR ?= $(DATADIR)/fish/vendor_completions.d
DESTDIR    ?=

CC         ?= cc
PKG_CONFIG ?= pkg-config
PKGS        = libdw libelf libbsd-overlay readline
CFLAGS     ?= -O2 -g

ifeq ($(SANITIZE),1)
B          ?= build-san
SANFLAGS    = -fsanitize=address,undefined -fno-omit-frame-pointer \
              -fno-sanitize-recover=all
else
B          ?= build
SANFLAGS    =
endif

PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS))
# The binary links libbsd and libc only: elfutils and readline are in modules
# loaded by the commands that use them (zxmem-elf.so, zxmem-shell.so).
BSD_LIBS   := $(shell $(PKG_CONFIG) --libs libbsd-overlay)
# The binary links libbsd (and libmd, which libbsd needs) statically: two
# shared objects fewer to map and relocate at every start (make bench,
# block 0). The modules link it as a shared library.
BSD_STATIC := -Wl,-Bstatic $(shell $(PKG_CONFIG) --static --libs libbsd-overlay) -Wl,-Bdynamic
ELF_LIBS   := $(shell $(PKG_CONFIG) --libs libdw libelf)
RL_LIBS    := $(shell $(PKG_CONFIG) --libs readline)

ZX_CFLAGS   = -std=c17 -Wall -Wextra -Werror -D_GNU_SOURCE -Isrc -I$(B)/include $(PKG_CFLAGS) \
              -DZXMEM_VERSION='"$(VERSION)"' -DZXMEM_SYSCONFDIR='"$(SYSCONFDIR)"' \
              $(SANFLAGS) $(CFLAGS)
# -rdynamic: the modules call back into the binary (fdio, status, ...).
ZX_LDFLAGS  = -Wl,-O1 -Wl,--as-needed $(SANFLAGS) $(LDFLAGS)

ifneq ($(V),1)
Q = @
E = @printf '  %-6s %s\n'
else
Q =
E = @true
endif

CORE_SRC    = $(wildcard src/core/*.c)
TARGET_SRC  = $(wildcard src/targets/*.c)
CLI_SRC     = $(wildcard src/cli/*.c)
ELFMOD_SRC  = src/targets/symbols.c src/targets/dwarf.c src/targets/core.c \
              src/targets/elfmod_export.c
SHELLMOD_SRC = src/cli/shell.c
LIB_OBJ     = $(patsubst src/%.c,$(B)/obj/%.o,$(filter-out $(ELFMOD_SRC) \
                $(SHELLMOD_SRC),$(CORE_SRC) $(TARGET_SRC) \
                $(filter-out src/cli/main.c,$(CLI_SRC))))
MAIN_OBJ    = $(B)/obj/cli/main.o
ELFMOD_OBJ  = $(patsubst src/%.c,$(B)/pic/%.o,$(ELFMOD_SRC))
SHELLMOD_OBJ = $(patsubst src/%.c,$(B)/pic/%.o,$(SHELLMOD_SRC))
MODULES     = $(B)/zxmem-elf.so $(B)/zxmem-shell.so
# The interface the modules are built against: a module is refused by a
# binary whose headers differ (a stale install next to a fresh build).
MODABI      = $(B)/include/modabi.h

HELPER_SRC  = $(wildcard test/helpers/*.c)
HELPER_H    = $(wildcard test/helpers/*.h)
HELPERS     = $(patsubst test/helpers/%.c,$(B)/test/%,$(HELPER_SRC)) \
              $(patsubst test/helpers/%.c,$(B)/test/%-nopie,$(HELPER_SRC))

all: $(B)/zxmem $(MODULES)

$(B)/zxmem: $(MAIN_OBJ) $(LIB_OBJ)
	$(E) LINK $@
	$(Q)$(CC) $(ZX_LDFLAGS) -rdynamic -o $@ $^ $(BSD_STATIC) -ldl

$(B)/obj/%.o: src/%.c | $(MODABI)
	@mkdir -p $(@D)
	$(E) CC $<
	$(Q)$(CC) $(ZX_CFLAGS) -MMD -MP -c -o $@ $<

# Module objects: position-independent, and hidden but for each module's
# one table (elfmod_export.c, shell.c's zxmem_module_shell).
$(B)/pic/%.o: src/%.c | $(MODABI)
	@mkdir -p $(@D)
	$(E) CC $<
	$(Q)$(CC) $(ZX_CFLAGS) -fPIC -fvisibility=hidden -MMD -MP -c -o $@ $<
$(B)/zxmem-elf.so: $(ELFMOD_OBJ)
	$(E) LINK $@
	$(Q)$(CC) $(ZX_LDFLAGS) -shared -o $@ $^ $(ELF_LIBS) $(BSD_LIBS) -ldl
$(B)/zxmem-shell.so: $(SHELLMOD_OBJ)
	$(E) LINK $@
	$(Q)$(CC) $(ZX_LDFLAGS) -shared -o $@ $^ $(RL_LIBS) $(BSD_LIBS)
$(MODABI): $(wildcard src/*/*.h)
	@mkdir -p $(@D)
	$(E) GEN $@
	$(Q)printf '#define ZXMEM_MODULE_ABI "zxmem %s %s"\n' '$(VERSION)' \
	    "$$(cat $(sort $(wildcard src/*/*.h)) | cksum | cut -d' ' -f1)" >$@.tmp
	$(Q)mv -f $@.tmp $@

# Target programs for the tests: PIE and non-PIE builds of each.
$(B)/test/%: test/helpers/%.c $(HELPER_H)
	@mkdir -p $(@D)
	$(E) CC $@
	$(Q)$(CC) -std=c17 -Wall -Wextra -Werror -D_GNU_SOURCE -O0 -g -fPIE -pie -o $@ $<
$(B)/test/%-nopie: test/helpers/%.c $(HELPER_H)
	@mkdir -p $(@D)
	$(E) CC $@
	$(Q)$(CC) -std=c17 -Wall -Wextra -Werror -D_GNU_SOURCE -O0 -g -fno-pie -no-pie -o $@ $<

# The tests' zxmem: the same program with SYSCONFDIR in the build tree
# ($(B)/test/etc), so the gate tests set a system-wide kernel.conf without
# root (test/test_helper/process.bash). make install never sees it.
TEST_SYSCONFDIR = $(abspath $(B))/test/etc
$(B)/obj/cli/main-testetc.o: override SYSCONFDIR = $(TEST_SYSCONFDIR)
$(B)/obj/cli/main-testetc.o: src/cli/main.c
	@mkdir -p $(@D)
	$(E) CC $@
	$(Q)$(CC) $(ZX_CFLAGS) -MMD -MP -c -o $@ $<
$(B)/test/zxmem: $(B)/obj/cli/main-testetc.o $(LIB_OBJ)
	@mkdir -p $(@D)
	$(E) LINK $@
	$(Q)$(CC) $(ZX_LDFLAGS) -rdynamic -o $@ $^ $(BSD_STATIC) -ldl
# Its modules next to it, as the build tree's zxmem has them.
$(B)/test/zxmem-%.so: $(B)/zxmem-%.so
	@mkdir -p $(@D)
	$(Q)cp -f $< $@

# The symbol tests' program in every form a user meets (SPEC §10): without
# -g, stripped (.dynsym only), and split (DWARF and .symtab in a separate
# file named by .gnu_debuglink); and a C++ program.
HELPER_CC   = $(CC) -std=c17 -Wall -Wextra -Werror -D_GNU_SOURCE -O0 -fPIE -pie
SYMBOL_HELPERS = $(B)/test/symbols-nodebug $(B)/test/symbols-stripped \
              $(B)/test/symbols-split $(B)/test/symbols-noid $(B)/test/game
$(B)/test/symbols-nodebug: test/helpers/symbols.c $(HELPER_H)
	@mkdir -p $(@D)
	$(E) CC $@
	$(Q)$(HELPER_CC) -o $@ $<
# No build-id: a core's file is then checked by its size.
$(B)/test/symbols-noid: test/helpers/symbols.c $(HELPER_H)
	@mkdir -p $(@D)
	$(E) CC $@
	$(Q)$(HELPER_CC) -g -Wl,--build-id=none -o $@ $<
$(B)/test/symbols-stripped: $(B)/test/symbols-nodebug
	$(E) STRIP $@
	$(Q)strip -o $@ $<
$(B)/test/symbols-split: $(B)/test/symbols
	$(E) SPLIT $@
	$(Q)objcopy --only-keep-debug $< $@.debug
	$(Q)strip -o $@.tmp $<
	$(Q)cd $(@D) && objcopy --add-gnu-debuglink=$(@F).debug $(@F).tmp $(@F)
	$(Q)rm -f $@.tmp
$(B)/test/game: test/helpers/cxx/game.cpp
	@mkdir -p $(@D)
	$(E) CXX $@
	$(Q)$(CXX) -std=c++17 -Wall -Wextra -Werror -O0 -g -fPIE -pie -o $@ $<

test-helpers: $(HELPERS) $(SYMBOL_HELPERS) $(B)/test/zxmem \
    $(patsubst $(B)/%,$(B)/test/%,$(MODULES))

# The fuzz harnesses' replay drivers (fuzz/replay.c), for test/fuzz.bats:
# with the compiler at hand (no clang or libFuzzer needed), ASan and UBSan.
fuzz-replay:
	$(Q)$(MAKE) --no-print-directory -f fuzz/Makefile replay \
	    RB="$(abspath $(B)/fuzz-replay)" REPLAY_CC="$(CC)"

check: all test-helpers fuzz-replay
	$(Q)mandoc -Tlint -W warning man/zxmem.1
	$(Q)ZXMEM="$(abspath $(B)/zxmem)" ZXMEM_TEST_BIN="$(abspath $(B)/test)" \
	    ZXMEM_FUZZ_BIN="$(abspath $(B)/fuzz-replay)" \
	    bats $(BATSFLAGS) $(or $(BATS_FILES),test/)

bench: all test-helpers
	$(Q)ZXMEM="$(abspath $(B)/zxmem)" ZXMEM_TEST_BIN="$(abspath $(B)/test)" B="$(B)" \
	    bench/run.sh
	$(Q)ZXMEM="$(abspath $(B)/zxmem)" ZXMEM_TEST_BIN="$(abspath $(B)/test)" B="$(B)" \
	    bench/large.sh

fuzz:
	$(Q)$(MAKE) -f fuzz/Makefile

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR) \
	    $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	install -m 0755 $(B)/zxmem $(DESTDIR)$(BINDIR)/zxmem
	install -d $(DESTDIR)$(MODDIR)
	install -m 0644 $(MODULES) $(DESTDIR)$(MODDIR)/
	install -m 0644 man/zxmem.1 $(DESTDIR)$(MANDIR)/man1/zxmem.1
	install -m 0644 completions/zxmem.bash $(DESTDIR)$(BASHCOMPDIR)/zxmem
	install -m 0644 completions/_zxmem $(DESTDIR)$(ZSHCOMPDIR)/_zxmem
	install -m 0644 completions/zxmem.fish $(DESTDIR)$(FISHCOMPDIR)/zxmem.fish

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/zxmem $(DESTDIR)$(MANDIR)/man1/zxmem.1 \
	    $(DESTDIR)$(BASHCOMPDIR)/zxmem $(DESTDIR)$(ZSHCOMPDIR)/_zxmem \
	    $(DESTDIR)$(FISHCOMPDIR)/zxmem.fish \
	    $(patsubst $(B)/%,$(DESTDIR)$(MODDIR)/%,$(MODULES))
	rmdir $(DESTDIR)$(MODDIR) 2>/dev/null || true

clean:
	rm -rf build build-san build-fuzz

.PHONY: all check test-helpers fuzz-replay bench fuzz install uninstall clean
.SUFFIXES:
.DELETE_ON_ERROR:

-include $(shell find $(B)/obj $(B)/pic -name '*.d' 2>/dev/null)
