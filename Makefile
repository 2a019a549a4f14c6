# racelab: every entry point. See README.md and docs/.
# `make check-race` (students) and `make check` (tests) work on a fresh
# Debian machine: both install missing packages first through `make deps`.

CC       ?= cc
CFLAGS   ?= -O2 -g
WARN      = -Wall -Wextra -Wno-unused-parameter -Wshadow -Wstrict-prototypes
PKGS      = jansson inih expat
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
ALL_CFLAGS = -std=gnu11 $(WARN) $(CFLAGS) $(PKG_CFLAGS) -D_GNU_SOURCE
PREFIX   ?= /usr/local

B        = build
HARNESS_SRC  = $(wildcard harness/*.c)
HARNESS_OBJ  = $(HARNESS_SRC:harness/%.c=$(B)/obj/%.o)
LIB_OBJ      = $(filter-out $(B)/obj/main.o,$(HARNESS_OBJ))
TEST_SRC     = $(wildcard tests/*.c)
TEST_OBJ     = $(TEST_SRC:tests/%.c=$(B)/tests/%.o)

RACELAB  = $(B)/racelab
PRELOAD  = $(B)/librlwatch.so
UNIT     = $(B)/tests/unit
# Programs the unit tests run under the watch (never linked into Criterion).
TEST_PROGS_SRC = $(wildcard tests/progs/*.c)
TEST_PROGS     = $(TEST_PROGS_SRC:tests/progs/%.c=$(B)/tests/progs/%)

EX       ?=
RACELAB_FLAGS ?=
# Every run of every checker, this many times: make check proves the whole
# catalogue deterministic in well under 30 minutes (make verify REPEAT=20 for more).
REPEAT   ?= 10

DEB_PKGS = clang libclang-rt-dev valgrind gdb pkg-config make \
           libcriterion-dev libjansson-dev libinih-dev libexpat1-dev binutils

.PHONY: all deps check unit verify check-race check-mem check-lab \
        dist-student install clean bench

all: $(RACELAB) $(PRELOAD)

$(B)/obj/%.o: harness/%.c $(wildcard harness/*.h) | $(B)/obj
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(RACELAB): $(HARNESS_OBJ)
	$(CC) $(ALL_CFLAGS) -o $@ $(HARNESS_OBJ) $(PKG_LIBS)

$(PRELOAD): harness/preload/rlwatch.c | $(B)
	$(CC) -std=gnu11 $(WARN) -O2 -g -fPIC -shared -D_GNU_SOURCE -o $@ $< -ldl -pthread

$(B)/tests/%.o: tests/%.c $(wildcard harness/*.h tests/*.h) | $(B)/tests
	$(CC) $(ALL_CFLAGS) -iquote harness -c -o $@ $<

$(UNIT): $(TEST_OBJ) $(LIB_OBJ)
	$(CC) $(ALL_CFLAGS) -o $@ $(TEST_OBJ) $(LIB_OBJ) $(PKG_LIBS) $(shell pkg-config --libs criterion 2>/dev/null)

$(B)/tests/progs/%: tests/progs/%.c | $(B)/tests/progs
	$(CC) -g -O0 -pthread -o $@ $<

$(B) $(B)/obj $(B)/tests $(B)/tests/progs:
	mkdir -p $@

deps:
	@sh tools/deps.sh $(DEB_PKGS)

unit: deps
	$(MAKE) $(RACELAB) $(PRELOAD) $(UNIT) $(TEST_PROGS)
	cd tests && ../$(UNIT) --jobs 2 --short-filename

verify: deps
	$(MAKE) all
	$(RACELAB) verify --tool all --repeat $(REPEAT) $(RACELAB_FLAGS) $(EX)

check: unit
	$(RACELAB) verify --tool all --repeat $(REPEAT) $(RACELAB_FLAGS)

check-race: deps
	@$(MAKE) -s all
	$(RACELAB) check --tool tsan --tool helgrind $(RACELAB_FLAGS) $(EX)

check-mem: deps
	@$(MAKE) -s all
	$(RACELAB) check --tool asan --tool memcheck $(RACELAB_FLAGS) $(EX)

check-lab: deps
	@$(MAKE) -s all
	$(RACELAB) check --tool all $(RACELAB_FLAGS) $(EX)

bench: deps
	$(MAKE) all
	sh bench/bench.sh

dist-student:
	@sh tools/dist-student.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/racelab
	install -m 755 $(RACELAB) $(DESTDIR)$(PREFIX)/bin/racelab
	install -m 644 $(PRELOAD) $(DESTDIR)$(PREFIX)/lib/racelab/librlwatch.so
	install -d $(DESTDIR)$(PREFIX)/share/racelab/include
	install -m 644 include/*.h $(DESTDIR)$(PREFIX)/share/racelab/include/

clean:
	rm -rf $(B)
