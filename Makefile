# racelab: every entry point. See README.md and docs/.
# `make check-race` (students) and `make check` (tests) work on a fresh
# Debian machine: both install missing packages first through `make deps`.

CC       ?= cc
CFLAGS   ?= -O2 -g
WARN      = -Wall -Wextra -Wno-unused-parameter -Wshadow -Wstrict-prototypes
PKGS      = jansson inih expat libarchive
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# CPPFLAGS, CFLAGS and LDFLAGS are the user's (e.g. a distribution's
# hardening flags); racelab's own come before them so theirs win.
ALL_CPPFLAGS = -D_GNU_SOURCE $(PKG_CFLAGS) $(CPPFLAGS)
ALL_CFLAGS = -std=gnu11 $(WARN) $(CFLAGS)
DEPFLAGS  = -MMD -MP
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
# make check runs every checker on every program once: the exercises force
# their interleavings (include/stage.h), so one run gives the verdict, and
# the noise checker varies the schedule of every program CHECK_SEEDS times.
# make check-full is the deep proof (every run ten times, 20 seeds each);
# make verify REPEAT=100 for more.
REPEAT   ?= 2
CHECK_REPEAT ?= 1
FULL_REPEAT ?= 10
CHECK_SEEDS ?= 10

DEB_PKGS = clang libclang-rt-dev valgrind gdb pkg-config make \
           libcriterion-dev libjansson-dev libinih-dev libexpat1-dev binutils patch time \
           libarchive-dev jq zip unzip libxml2-utils procps
# What grading needs on a grader's image (tools/graders/): no test
# framework, none of the tools that make and check the packages (jq,
# zip, unzip, xmllint, pgrep); the sanitizers' runtimes are a package of their own on
# Debian 12 only (tools/deps.sh: NAME? is installed where it exists).
GRADE_PKGS = gcc libc6-dev $(filter-out libcriterion-dev patch time jq zip unzip libxml2-utils procps libclang-rt-dev,$(DEB_PKGS)) \
             libclang-rt-dev?
# Flags every grading on a grader passes to racelab grade (e.g. --repeat 5),
# and where the packages are written.
GRADE_FLAGS ?=
GRADER_DIR ?= $(B)

.PHONY: all deps check check-full unit verify check-race check-mem check-lab \
        dist-student gradescope prairielearn autolab install uninstall clean bench

all: $(RACELAB) $(PRELOAD)

$(B)/obj/%.o: harness/%.c | $(B)/obj
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(DEPFLAGS) -c -o $@ $<

$(RACELAB): $(HARNESS_OBJ)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(HARNESS_OBJ) $(PKG_LIBS)

# The observer preloaded into native runs: every file of harness/preload/,
# and the noise policy it shares with racelab.
PRELOAD_SRC = $(wildcard harness/preload/*.c) harness/noise.c
$(PRELOAD): $(PRELOAD_SRC) $(wildcard harness/preload/*.h) harness/noise.h | $(B)
	$(CC) -D_GNU_SOURCE -DRACELAB_PRELOAD $(CPPFLAGS) -std=gnu11 $(WARN) -O2 -g $(CFLAGS) -fPIC -shared \
		$(LDFLAGS) -o $@ $(PRELOAD_SRC) -ldl -pthread

$(B)/tests/%.o: tests/%.c | $(B)/tests
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(DEPFLAGS) -iquote harness -c -o $@ $<

$(UNIT): $(TEST_OBJ) $(LIB_OBJ)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(TEST_OBJ) $(LIB_OBJ) $(PKG_LIBS) \
		$(shell pkg-config --libs criterion 2>/dev/null)

-include $(HARNESS_OBJ:.o=.d) $(TEST_OBJ:.o=.d)

$(B)/tests/progs/%: tests/progs/%.c | $(B)/tests/progs
	$(CC) -g -O0 -pthread -o $@ $<

$(B) $(B)/obj $(B)/tests $(B)/tests/progs:
	mkdir -p $@

deps:
	@sh tools/deps.sh $(DEB_PKGS)

# The tests make their labs and racelab its runs in a folder of their own
# (TMPDIR; readable by the run user), removed when every test passed.
unit: deps
	$(MAKE) $(RACELAB) $(PRELOAD) $(UNIT) $(TEST_PROGS)
	@t=$$(mktemp -d "$${TMPDIR:-/tmp}/racelab-unit-XXXXXX") && chmod 755 "$$t" && \
	(cd tests && TMPDIR="$$t" ../$(UNIT) --jobs 2 --short-filename); st=$$?; \
	if [ $$st = 0 ]; then rm -rf "$$t"; else echo "unit: the tests' folders are kept in $$t"; fi; \
	exit $$st

verify: deps
	$(MAKE) all
	$(RACELAB) verify --tool all --repeat $(REPEAT) $(RACELAB_FLAGS) $(EX)

check: unit
	$(RACELAB) verify --tool all --repeat $(CHECK_REPEAT) --seeds $(CHECK_SEEDS) $(RACELAB_FLAGS)

check-full: unit
	$(RACELAB) verify --tool all --repeat $(FULL_REPEAT) $(RACELAB_FLAGS)

# The lab: each exercise under every checker its lab.ini names, the ones
# verify and grading use, so that what passes here passes there.
check-race: deps
	@$(MAKE) -s all
	$(RACELAB) check $(RACELAB_FLAGS) $(EX)

check-mem: deps
	@$(MAKE) -s all
	$(RACELAB) check --tool asan --tool memcheck $(RACELAB_FLAGS) $(EX)

check-lab: deps
	@$(MAKE) -s all
	$(RACELAB) check --tool all $(RACELAB_FLAGS) $(EX)

bench: deps
	$(MAKE) all
	sh bench/bench.sh
	sh bench/noise.sh
	sh bench/grade.sh
	sh bench/grade-full.sh
	sh bench/cost.sh

dist-student: $(RACELAB)
	@RACELAB=$(RACELAB) sh tools/dist-student.sh

# The online graders' packages, from the committed lab with its hidden
# cases (docs/instructors.md).
gradescope prairielearn autolab: $(RACELAB)
	@GRADE_PKGS='$(GRADE_PKGS)' GRADE_FLAGS='$(GRADE_FLAGS)' RACELAB=$(abspath $(RACELAB)) \
		sh tools/graders/pack.sh $@ $(GRADER_DIR)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/racelab
	install -m 755 $(RACELAB) $(DESTDIR)$(PREFIX)/bin/racelab
	install -m 644 $(PRELOAD) $(DESTDIR)$(PREFIX)/lib/racelab/librlwatch.so
	install -d $(DESTDIR)$(PREFIX)/share/racelab/include
	install -m 644 include/*.h $(DESTDIR)$(PREFIX)/share/racelab/include/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/racelab $(DESTDIR)$(PREFIX)/lib/racelab/librlwatch.so
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/share/racelab/include/,$(notdir $(wildcard include/*.h)))
	-rmdir $(DESTDIR)$(PREFIX)/lib/racelab $(DESTDIR)$(PREFIX)/share/racelab/include \
		$(DESTDIR)$(PREFIX)/share/racelab 2>/dev/null

clean:
	rm -rf $(B)
