/* test_docs.c - the man pages say what the program does, so they cannot
 * drift: docs/ptbench-results.5 lists every column of every CSV table of
 * schema.c, in order and with the unit its name carries; docs/ptbench.1
 * lists every command, option, workload (with its parameters) and pin
 * policy. Arguments: the paths of ptbench.1 and ptbench-results.5.
 *
 * The pages are read as man(7) source: a .TP's tag line is rendered the way
 * groff would join a font macro's arguments, escapes dropped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opts.h"
#include "pin.h"
#include "schema.h"
#include "tap.h"
#include "util.h"
#include "workload.h"

#define MAX_LISTS 32
#define MAX_COLS 64
#define LINE 1024

/* One column list of ptbench-results.5: the table it names, and per
 * column its name and the unit in "(...)" after it ("" when none). */
struct collist {
	char table[64];
	int n;
	char col[MAX_COLS][64];
	char unit[MAX_COLS][16];
};

/* A .TP of a section of ptbench.1: its rendered tag and its text. */
struct tag {
	char tag[LINE];
	char body[4 * LINE];
};

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *s = NULL;
	size_t len = 0;

	if (!f)
		return NULL;
	FILE *m = open_memstream(&s, &len);
	int c;

	while (m && (c = getc(f)) != EOF)
		putc(c, m);
	fclose(f);
	if (m)
		fclose(m);
	return s;
}

/* The file name alone, for short test names. */
static const char *base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* Copies the line at *p into buf (without its newline) and advances *p.
 * Returns 0 at the end of the text. */
static int next_line(const char **p, char *buf, size_t len)
{
	size_t n;

	if (!**p)
		return 0;
	n = strcspn(*p, "\n");
	util_strfmt(buf, len, "%.*s", (int)n, *p);
	*p += n;
	if (**p == '\n')
		(*p)++;
	return 1;
}

/* Drops font and no-op escapes, turns \- and "\ " into their characters. */
static void unescape(const char *in, char *out, size_t len)
{
	size_t o = 0;

	for (const char *s = in; *s && o + 1 < len; s++) {
		if (*s != '\\') {
			out[o++] = *s;
			continue;
		}
		s++;
		if (*s == 'f')                  /* \fB \fI \fR \fP */
			s += s[1] != '\0';
		else if (*s == '-' || *s == ' ')
			out[o++] = *s;
		else if (*s == 'e')
			out[o++] = '\\';
		else if (*s == '(' && s[1] && s[2])     /* \(aq, \(em ... */
			s += 2;
		else if (*s == '\0')
			break;
		/* \& \% and the rest: nothing */
	}
	out[o] = '\0';
}

/* Renders one source line as text: a font macro's arguments joined (with
 * spaces for .B/.I, without for the alternating ones), other requests
 * empty, a text line unescaped. */
static void render(const char *line, char *out, size_t len)
{
	char raw[LINE] = "", word[LINE];
	size_t o = 0;
	int alternate;

	if (line[0] != '.') {
		unescape(line, out, len);
		return;
	}
	const char *s = line + 1;
	size_t mlen = strcspn(s, " ");

	if (!((mlen == 1 && strchr("BI", s[0])) ||
	      (mlen == 2 && strchr("BIR", s[0]) && strchr("BIR", s[1])) ||
	      (mlen == 2 && strncmp(s, "SH", 2) == 0) || (mlen == 2 && strncmp(s, "SS", 2) == 0))) {
		out[0] = '\0';
		return;
	}
	alternate = mlen == 2 && strncmp(s, "SH", 2) && strncmp(s, "SS", 2);
	s += mlen;
	while (*s) {
		size_t w = 0;

		while (*s == ' ')
			s++;
		if (!*s)
			break;
		if (*s == '"') {
			for (s++; *s && *s != '"'; s++)
				word[w++] = *s;
			s += *s == '"';
		} else {
			for (; *s && *s != ' '; s++)
				word[w++] = *s;
		}
		word[w] = '\0';
		o += (size_t)snprintf(raw + o, sizeof(raw) - o, "%s%s",
				      o && !alternate ? " " : "", word);
		if (o >= sizeof(raw))
			break;
	}
	unescape(raw, out, len);
}

static int is_request(const char *line, const char *req)
{
	size_t n = strlen(req);

	return line[0] == '.' && strncmp(line + 1, req, n) == 0 &&
	       (line[1 + n] == '\0' || line[1 + n] == ' ');
}

/* Reads the column lists of a ptbench-results.5 source: a line
 * '.\" columns: NAME' opens one; each .TP outside .RS/.RE adds the column
 * its tag names; .SS, .SH or .PP closes it. Returns how many lists. */
static int parse_columns(const char *page, struct collist *lists, int max)
{
	char line[LINE], text[LINE];
	struct collist *cur = NULL;
	int n = 0, depth = 0, want_tag = 0;

	for (const char *p = page; next_line(&p, line, sizeof(line));) {
		if (strncmp(line, ".\\\" columns: ", 13) == 0) {
			if (n == max)
				return n;
			cur = &lists[n++];
			memset(cur, 0, sizeof(*cur));
			util_strfmt(cur->table, sizeof(cur->table), "%s", line + 13);
			depth = want_tag = 0;
			continue;
		}
		if (!cur || (line[0] == '.' && line[1] == '\\'))
			continue;
		if (want_tag) {
			char *open;

			want_tag = 0;
			if (cur->n == MAX_COLS)
				continue;
			render(line, text, sizeof(text));
			open = strchr(text, '(');
			util_strfmt(cur->col[cur->n], sizeof(cur->col[0]), "%.*s",
			       (int)strcspn(text, " ("), text);
			if (open)
				util_strfmt(cur->unit[cur->n], sizeof(cur->unit[0]), "%.*s",
				       (int)strcspn(open + 1, ")"), open + 1);
			cur->n++;
		} else if (is_request(line, "RS")) {
			depth++;
		} else if (is_request(line, "RE")) {
			depth -= depth > 0;
		} else if (depth == 0 && is_request(line, "TP")) {
			want_tag = 1;
		} else if (depth == 0 && (is_request(line, "SS") || is_request(line, "SH") ||
					  is_request(line, "PP") || is_request(line, "P") ||
					  is_request(line, "LP"))) {
			cur = NULL;
		}
	}
	return n;
}

/* 0 when the list has exactly these columns in this order, each with the
 * unit its name carries; else -1 and why names the first difference. */
static int check_list(const struct collist *l, const char *const *cols, int n,
		      char *why, size_t len)
{
	for (int i = 0; i < n || i < l->n; i++) {
		if (i >= l->n) {
			util_strfmt(why, len, "column %d '%s' is missing", i + 1, cols[i]);
			return -1;
		}
		if (i >= n) {
			util_strfmt(why, len, "column %d '%s' is not in schema.c", i + 1, l->col[i]);
			return -1;
		}
		if (strcmp(l->col[i], cols[i])) {
			util_strfmt(why, len, "column %d is '%s', schema.c says '%s'", i + 1,
			       l->col[i], cols[i]);
			return -1;
		}
		if (strcmp(l->unit[i], schema_unit_of(cols[i]))) {
			util_strfmt(why, len, "column '%s' has unit '%s', its name says '%s'",
			       cols[i], l->unit[i], schema_unit_of(cols[i]));
			return -1;
		}
	}
	*why = '\0';
	return 0;
}

/* Checks the one list of a page named table against cols; *found counts
 * the lists of that name. */
static int check_table(const struct collist *lists, int nl, const char *table,
		       const char *const *cols, int n, char *why, size_t len)
{
	int found = 0, rc = -1;

	for (int i = 0; i < nl; i++)
		if (strcmp(lists[i].table, table) == 0 && found++ == 0)
			rc = check_list(&lists[i], cols, n, why, len);
	if (found != 1) {
		util_strfmt(why, len, "%d column lists name %s (want 1)", found, table);
		return -1;
	}
	return rc;
}

/* The .TP tags of one .SH section of a ptbench.1 source, with the text
 * up to the next .TP. Returns how many. */
static int section_tags(const char *page, const char *section, struct tag *tags, int max)
{
	char line[LINE], text[LINE];
	int n = 0, in = 0, want_tag = 0;

	for (const char *p = page; next_line(&p, line, sizeof(line));) {
		if (is_request(line, "SH")) {
			render(line, text, sizeof(text));
			in = strcmp(text, section) == 0;
			want_tag = 0;
			continue;
		}
		if (!in || (line[0] == '.' && line[1] == '\\'))
			continue;
		if (is_request(line, "TP")) {
			want_tag = n < max;
			continue;
		}
		render(line, text, sizeof(text));
		if (want_tag) {
			want_tag = 0;
			util_strfmt(tags[n].tag, sizeof(tags[n].tag), "%s", text);
			tags[n++].body[0] = '\0';
		} else if (n > 0 && *text) {
			size_t k = strlen(tags[n - 1].body);

			util_strfmt(tags[n - 1].body + k, sizeof(tags[n - 1].body) - k, " %s", text);
		}
	}
	return n;
}

/* Nonzero when word is one of the space- or comma-separated words of s. */
static int has_word(const char *s, const char *word)
{
	size_t n = strlen(word);

	for (const char *w = s; (w = strstr(w, word)); w++)
		if ((w == s || strchr(" ,", w[-1])) && (w[n] == '\0' || strchr(" ,", w[n])))
			return 1;
	return 0;
}

/* Index of the tag whose first word is name, or -1. */
static int tag_named(const struct tag *tags, int n, const char *name)
{
	size_t k = strlen(name);

	for (int i = 0; i < n; i++)
		if (strncmp(tags[i].tag, name, k) == 0 && strchr(" ,", tags[i].tag[k]))
			return i;
	return -1;
}

/* Nonzero when a tag names the option: --long, and -s on the same tag. */
static int option_listed(const struct tag *tags, int n, const char *lng, char shrt)
{
	char l[64], s[4] = { '-', shrt, 0, 0 };

	util_strfmt(l, sizeof(l), "--%s", lng);
	for (int i = 0; i < n; i++)
		if (has_word(tags[i].tag, l) && (!shrt || has_word(tags[i].tag, s)))
			return 1;
	return 0;
}

/* The checker must see each kind of drift (a test that cannot fail is
 * worth nothing): column lists of a made-up table { a_s, b }. */
static void self_test(void)
{
	static const char *const cols[] = { "a_s", "b" };
	static const struct {
		const char *page;
		int match;
		const char *what;
	} cases[] = {
		{ ".\\\" columns: t\n.TP\n.BR a_s \" (s)\"\nx\n.TP\n.B b\ny\n", 1, "the right list" },
		{ ".\\\" columns: t\n.TP\n.BR a_s \" (s)\"\n.RS\n.TP\n.B z\n.RE\n.TP\n\\fBb\\fR\n", 1,
		  "a nested list and a text tag" },
		{ ".\\\" columns: t\n.TP\n.BR a_s \" (s)\"\n", 0, "a column missing" },
		{ ".\\\" columns: t\n.TP\n.BR a_s \" (s)\"\n.TP\n.B b\n.TP\n.B c\n", 0,
		  "a column too many" },
		{ ".\\\" columns: t\n.TP\n.B b\n.TP\n.BR a_s \" (s)\"\n", 0, "the order swapped" },
		{ ".\\\" columns: t\n.TP\n.B a_s\n.TP\n.B b\n", 0, "a unit missing" },
		{ ".\\\" columns: t\n.TP\n.BR a_s \" (us)\"\n.TP\n.B b\n", 0, "a wrong unit" },
		{ ".\\\" columns: t\n.TP\n.BR a_s \" (s)\"\n.PP\n.TP\n.B b\n", 0,
		  "a list ended by .PP" },
		{ ".TP\n.BR a_s \" (s)\"\n.TP\n.B b\n", 0, "no list marker" },
		{ ".\\\" columns: t\n.TP\n.BR a_s \" (s)\"\n.TP\n.B b\n"
		  ".\\\" columns: t\n.TP\n.BR a_s \" (s)\"\n.TP\n.B b\n", 0, "two lists of one table" },
	};
	static const struct tag opt_tags[] = {
		{ "-m, --modes LIST", "" }, { "--warmup N", "" }, { "--csv", "" },
	};
	struct collist lists[4];
	char why[256];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int n = parse_columns(cases[i].page, lists, 4);
		int rc = check_table(lists, n, "t", cols, 2, why, sizeof(why));

		ok((rc == 0) == cases[i].match, "checker: %s %s%s%s", cases[i].what,
		   cases[i].match ? "passes" : "fails", *why ? ": " : "", why);
	}
	ok(option_listed(opt_tags, 3, "modes", 'm') && option_listed(opt_tags, 3, "warmup", 0) &&
	   !option_listed(opt_tags, 3, "reps", 'r') && !option_listed(opt_tags, 3, "modes", 'n') &&
	   !option_listed(opt_tags, 3, "war", 0),
	   "checker: options are found by their whole long and short names");
}

static void check_results_page(const char *path)
{
	static const struct schema others[] = {
		{ "compare", compare_cols, CP_N },
		{ "topo", topo_cols, TP_N },
		{ "suite", suite_cols, SQ_N },
		{ "check", check_cols, CK_N },
		{ "merged", merged_cols, MG_N },
		{ "hosts.csv", hosts_cols, HO_N },
		{ "claims_by_host.csv", claims_by_host_cols, CB_N },
	};
	static struct collist lists[MAX_LISTS];
	char *page = slurp(path), why[256];
	int n;

	if (!ok(page != NULL, "%s is readable", base(path)))
		return;
	n = parse_columns(page, lists, MAX_LISTS);
	for (const struct schema *s = result_files; s->file; s++) {
		int rc = check_table(lists, n, s->file, s->cols, s->ncols, why, sizeof(why));

		ok(rc == 0, "%s: the %d columns of %s, in order, with units%s%s", base(path), s->ncols,
		   s->file, *why ? ": " : "", why);
	}
	for (size_t i = 0; i < ARRAY_SIZE(others); i++) {
		int rc = check_table(lists, n, others[i].file, others[i].cols, others[i].ncols,
				     why, sizeof(why));

		ok(rc == 0, "%s: the %d columns of %s, in order, with units%s%s", base(path),
		   others[i].ncols, others[i].file, *why ? ": " : "", why);
	}
	for (int i = 0; i < n; i++) {
		int known = 0;

		for (const struct schema *s = result_files; s->file; s++)
			known |= strcmp(lists[i].table, s->file) == 0;
		for (size_t k = 0; k < ARRAY_SIZE(others); k++)
			known |= strcmp(lists[i].table, others[k].file) == 0;
		ok(known, "%s: column list '%s' is a table of schema.c", base(path), lists[i].table);
	}
	free(page);
}

/* Every "--long" (and "-s") that opts_usage() prints: the option table. */
static void check_options(const char *path, const char *page)
{
	static struct tag tags[64];
	char *usage = NULL, line[LINE];
	size_t len = 0;
	FILE *m = open_memstream(&usage, &len);
	int n = section_tags(page, "OPTIONS", tags, 64), options = 0;

	if (!ok(m != NULL, "the usage text can be captured"))
		return;
	opts_usage(m);
	fclose(m);
	for (const char *p = usage; next_line(&p, line, sizeof(line));) {
		/* "  -m, --modes LIST   help" or "      --warmup N   help" */
		const char *t = line + strspn(line, " "), *dd = strstr(t, "--");
		char shrt = t[0] == '-' && t[1] != '-' ? t[1] : 0;
		char lng[64];

		if (t[0] != '-' || !dd)
			continue;
		util_strfmt(lng, sizeof(lng), "%.*s", (int)strcspn(dd + 2, " "), dd + 2);
		options++;
		if (shrt)
			ok(option_listed(tags, n, lng, shrt), "%s OPTIONS: -%c, --%s", base(path), shrt, lng);
		else
			ok(option_listed(tags, n, lng, 0), "%s OPTIONS: --%s", base(path), lng);
	}
	ok(options == O_N, "the usage text lists the %d options of the table (%d)", O_N, options);
	/* And no option the program does not have. */
	for (int i = 0; i < n; i++) {
		char word[64];

		for (const char *w = tags[i].tag; (w = strstr(w, "--")); w += 2) {
			char probe[80];

			util_strfmt(word, sizeof(word), "%.*s", (int)strcspn(w, " ,="), w);
			ok(strstr(usage, util_strfmt(probe, sizeof(probe), "%s ", word)) != NULL,
			   "%s OPTIONS: %s is an option of ptbench", base(path), word);
		}
	}
	/* Every command of the usage text ("usage: ptbench run ..."). */
	n = section_tags(page, "COMMANDS", tags, 64);
	for (const char *p = usage; next_line(&p, line, sizeof(line));) {
		const char *c = strstr(line, "ptbench ");
		char cmd[32];

		if (!c)
			continue;
		util_strfmt(cmd, sizeof(cmd), "%.*s", (int)strcspn(c + 8, " "), c + 8);
		ok(tag_named(tags, n, cmd) >= 0, "%s COMMANDS: %s", base(path), cmd);
	}
	free(usage);
}

static void check_commands_page(const char *path)
{
	static struct tag tags[64];
	char *page = slurp(path);
	int n;

	if (!ok(page != NULL, "%s is readable", base(path)))
		return;
	check_options(path, page);
	n = section_tags(page, "WORKLOADS", tags, 64);
	for (int i = 0; workloads[i]; i++) {
		const struct workload *wl = workloads[i];
		int t = tag_named(tags, n, wl->name);
		char missing[256] = "";

		for (const struct param *pa = wl->params; t >= 0 && pa && pa->name; pa++) {
			char kv[64];

			util_strfmt(kv, sizeof(kv), "%s=", pa->name);
			if (!strstr(tags[t].body, kv)) {
				size_t k = strlen(missing);

				util_strfmt(missing + k, sizeof(missing) - k, " %s", kv);
			}
		}
		ok(t >= 0 && !*missing, "%s WORKLOADS: %s and its parameters%s%s", base(path), wl->name,
		   *missing ? ", missing:" : "", missing);
	}
	n = section_tags(page, "PINNING", tags, 64);
	for (int i = 0; i < PIN_N; i++)
		ok(tag_named(tags, n, pin_names[i]) >= 0, "%s PINNING: %s", base(path), pin_names[i]);
	free(page);
}

/* groff, where installed, must render the page without a warning. */
static void check_renders(const char *path)
{
	char cmd[LINE], out[LINE] = "";
	FILE *p;
	size_t n = 0;

	if (system("command -v groff >/dev/null 2>&1") != 0) {
		ok(1, "%s renders without warnings # SKIP no groff", base(path));
		return;
	}
	util_strfmt(cmd, sizeof(cmd), "groff -man -Tutf8 -ww -z '%s' 2>&1", path);
	p = popen(cmd, "r");
	if (p) {
		n = fread(out, 1, sizeof(out) - 1, p);
		out[n] = '\0';
	}
	ok(p && pclose(p) == 0 && n == 0, "%s renders without warnings%s%s", base(path),
	   n ? ": " : "", out);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s ptbench.1 ptbench-results.5\n", argv[0]);
		return 2;
	}
	self_test();
	check_results_page(argv[2]);
	check_commands_page(argv[1]);
	check_renders(argv[1]);
	check_renders(argv[2]);
	return done_testing();
}
