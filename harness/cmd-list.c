/*
 * racelab list: the exercises, what each teaches, and whether the
 * student's last `racelab check` under each checker lab.ini names passed.
 */
#include "cmds.h"
#include "exercise.h"
#include "options.h"
#include "strbuf.h"
#include "util.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char list_usage[] =
"usage: racelab list [--json]\n"
"\n"
"List the exercises: number and name, the bug class each one teaches, its\n"
"title, and its status: fixed when the last `racelab check` under every\n"
"checker its lab.ini names passed.\n";

/* One status from the last check under each checker lab.ini names. */
static char *last_status(const char *root, const struct exercise *e)
{
	struct strbuf bugs = STRBUF_INIT, unchecked = STRBUF_INIT;
	int mask = lab_tool_mask(&e->lab), seen = 0;
	char *ret;

	for (size_t i = 0; i < ntools; i++) {
		char *path, *text;

		if (!(mask & (1 << i)))
			continue;
		path = xstrfmt("%s/build/status/%s/%s", root, e->name, tools[i].name);
		text = read_file(path, NULL);
		free(path);
		if (!text)
			strbuf_addf(&unchecked, " %s", tools[i].name);
		else if (strncmp(text, "pass", 4))
			strbuf_addf(&bugs, " %s", tools[i].name);
		seen += text != NULL;
		free(text);
	}
	if (!seen)
		ret = xstrdup("not checked yet");
	else if (bugs.len)
		ret = xstrfmt("bugs left (%s)", bugs.buf + 1);
	else if (unchecked.len)
		ret = xstrfmt("clean so far, not checked under%s", unchecked.buf);
	else
		ret = xstrdup("fixed");
	strbuf_release(&bugs);
	strbuf_release(&unchecked);
	return ret;
}

int cmd_list(int argc, char **argv)
{
	struct common_opts o;
	struct exercise_set set;
	char *root;
	int ret = 0;
	struct strbuf sb = STRBUF_INIT;
	json_t *list;

	if (parse_common(argc, argv, &o) < 0)
		return RACELAB_EXIT_USAGE;
	if (o.help) {
		fputs(list_usage, stdout);
		common_opts_clear(&o);
		return 0;
	}
	root = lab_root_find();
	if (!root || exercise_set_load(&set, root) < 0) {
		error("no exercises/ directory here or above (or set RACELAB_ROOT)");
		free(root);
		common_opts_clear(&o);
		return RACELAB_EXIT_USAGE;
	}
	list = json_array();
	for (size_t i = 0; i < set.n; i++) {
		const struct exercise *e = &set.v[i];
		char *st = e->lab_ok ? last_status(root, e) : xstrdup("lab.ini error");

		if (o.json) {
			struct strvec files = STRVEC_INIT;
			json_t *sources = json_array();

			if (e->lab_ok)
				lab_student_files(&e->lab, &files);
			for (size_t k = 0; k < files.n; k++)
				json_array_append_new(sources, json_string(files.v[k]));
			strvec_clear(&files);
			json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:i, s:o, s:s}",
				"exercise", e->name,
				"class", e->lab_ok && e->lab.klass ? e->lab.klass : "",
				"title", e->lab_ok && e->lab.title ? e->lab.title : "",
				"points", e->lab_ok ? e->lab.points : 0,
				"sources", sources,
				"status", e->lab_ok ? st : "lab.ini error"));
		} else if (e->lab_ok) {
			strbuf_addf(&sb, "%-28s %-20s %-44s %s\n", e->name,
				    e->lab.klass ? e->lab.klass : "", e->lab.title ? e->lab.title : "", st);
		} else {
			strbuf_addf(&sb, "%-28s lab.ini error:\n  %s\n", e->name, e->lab_error);
		}
		if (!e->lab_ok)
			ret = RACELAB_EXIT_USAGE;
		free(st);
	}
	if (o.json) {
		json_t *doc = json_pack("{s:i, s:o}", "racelab", 1, "exercises", list);
		char *text = json_dumps(doc, JSON_INDENT(2));

		strbuf_addstr(&sb, text);
		strbuf_addch(&sb, '\n');
		free(text);
		json_decref(doc);
	} else {
		json_decref(list);
	}
	fwrite(sb.buf, 1, sb.len, stdout);
	strbuf_release(&sb);
	exercise_set_clear(&set);
	free(root);
	common_opts_clear(&o);
	return ret;
}
