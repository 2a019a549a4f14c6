#ifndef RACELAB_SYMBOLIZE_H
#define RACELAB_SYMBOLIZE_H
/*
 * Code addresses to function, file and line, with addr2line (binutils);
 * data addresses to the variable's name, with nm.
 *
 * An address is named "MODULE+0xOFFSET" (as librlwatch.so writes it):
 * MODULE is an ELF file, OFFSET is relative to its load bias, which is
 * what `addr2line -e MODULE` expects for a PIE, a shared library or a
 * fixed-address executable alike. Bytes of MODULE may be written %XX.
 *
 * symbolize() runs one addr2line per distinct module, however many
 * addresses it has. A struct sym owns its strings; sym_release() frees
 * them.
 */
#include <stddef.h>

struct sym {
	char *module;		/* in: the ELF file */
	unsigned long offset;	/* in: relative to the module's load bias */
	char *function;		/* out: NULL when unknown */
	char *file;		/* out: as addr2line printed it, NULL when unknown */
	int line;		/* out: 0 when unknown */
};

/* Parse "MODULE+0xOFFSET" into s (outputs cleared); 0, or -1 when malformed. */
int sym_parse(const char *token, struct sym *s);

/*
 * Fill in function, file and line for v[0..n). Entries addr2line cannot
 * name stay unknown. Returns 0, or -1 when addr2line could not be run for
 * some module (its entries stay unknown).
 */
int symbolize(struct sym *v, size_t n);

/*
 * Name data addresses (a global mutex) with nm, one run per module:
 * function is set to the variable's name ("name+N" N bytes inside it);
 * file and line stay unknown. Returns as symbolize() does.
 */
int symbolize_data(struct sym *v, size_t n);

void sym_release(struct sym *s);

#endif
