/* test_layers.c - the include graph of src/ against the module table of
 * docs/architecture.md: every file of src/ is in one module, every
 * #include "..." goes to the file's own module or to a lower layer, and
 * no file includes itself through others (a cycle).
 *
 * usage: test_layers docs/architecture.md src/ */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "util.h"

#define MAX_MODULES 64
#define MAX_FILES 256
#define MAX_INCLUDES 32

struct module {
	int layer;
	char name[32];
	int npat;
	char pat[8][64];        /* file patterns relative to src/ */
};

struct file {
	char path[128];         /* relative to src/ */
	int module;             /* index into modules, -1: none */
	int ninc;
	char inc[MAX_INCLUDES][128];    /* included files, relative to src/ */
	int color;              /* cycle search: 0 new, 1 on the path, 2 done */
};

static struct module modules[MAX_MODULES];
static int nmodules;
static struct file files[MAX_FILES];
static int nfiles;


static char *trim(char *s)
{
	char *e;

	s += strspn(s, " \t");
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n'))
		*--e = '\0';
	return s;
}

/* Reads the table rows "| layer | module | `files` | owns | may call |". */
static int read_table(const char *path)
{
	FILE *fp = fopen(path, "r");
	char line[2048];

	if (!fp)
		return -errno;
	while (fgets(line, sizeof(line), fp) && nmodules < MAX_MODULES) {
		char *cell[6], *s = line;
		int n = 0;
		struct module *m = &modules[nmodules];

		if (line[0] != '|')
			continue;
		for (char *bar; n < 6 && (bar = strchr(s, '|')); s = bar + 1) {
			*bar = '\0';
			cell[n++] = s;
		}
		if (n < 4 || !*trim(cell[1]) || strspn(trim(cell[1]), "0123456789") != strlen(trim(cell[1])))
			continue;       /* the header, its rule, or prose */
		m->layer = atoi(trim(cell[1]));
		util_strfmt(m->name, sizeof(m->name), "%s", trim(cell[2]));
		for (char *q = cell[3]; (q = strchr(q, '`')) && m->npat < 8;) {
			char *end = strchr(q + 1, '`');

			if (!end)
				break;
			util_strfmt(m->pat[m->npat++], sizeof(m->pat[0]), "%.*s", (int)(end - q - 1), q + 1);
			q = end + 1;
		}
		nmodules++;
	}
	fclose(fp);
	return 0;
}

static int module_of(const char *rel)
{
	for (int i = 0; i < nmodules; i++)
		for (int k = 0; k < modules[i].npat; k++)
			if (fnmatch(modules[i].pat[k], rel, FNM_PATHNAME) == 0)
				return i;
	return -1;
}

/* dir/inc with "x/../" taken out: the included file relative to src/. */
static void resolve(const char *dir, const char *inc, char *out, size_t len)
{
	char buf[256];
	char *slash;

	util_strfmt(buf, sizeof(buf), "%s%s%s", dir, *dir ? "/" : "", inc);
	while ((slash = strstr(buf, "/../"))) {
		char *start = slash;

		while (start > buf && start[-1] != '/')
			start--;
		memmove(start, slash + 4, strlen(slash + 4) + 1);
	}
	util_strfmt(out, len, "%s", buf);
}

static void read_file(const char *src, const char *dir, const char *name)
{
	char path[PATH_MAX], line[1024];
	struct file *f = &files[nfiles++];
	FILE *fp;

	util_strfmt(f->path, sizeof(f->path), "%s%s%s", dir, *dir ? "/" : "", name);
	f->module = module_of(f->path);
	util_strfmt(path, sizeof(path), "%s/%s", src, f->path);
	fp = fopen(path, "r");
	while (fp && fgets(line, sizeof(line), fp)) {
		char *q, *end;

		if (strncmp(line, "#include \"", 10) || f->ninc == MAX_INCLUDES)
			continue;
		q = line + 10;
		end = strchr(q, '"');
		if (!end)
			continue;
		*end = '\0';
		resolve(dir, q, f->inc[f->ninc++], sizeof(f->inc[0]));
	}
	if (fp)
		fclose(fp);
}

static void read_dir(const char *src, const char *dir)
{
	char path[PATH_MAX];
	struct dirent **ents;
	int n;

	util_strfmt(path, sizeof(path), "%s/%s", src, dir);
	n = scandir(path, &ents, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		size_t len = strlen(ents[i]->d_name);

		if (len > 2 && ents[i]->d_name[len - 2] == '.' &&
		    strchr("ch", ents[i]->d_name[len - 1]) && nfiles < MAX_FILES)
			read_file(src, dir, ents[i]->d_name);
		free(ents[i]);
	}
	if (n >= 0)
		free(ents);
}

/* Whether include `to` of file f goes to its own module or downward. */
static int downward(const struct file *f, const char *to, char *why, size_t len)
{
	int m = module_of(to);

	if (m < 0) {
		util_strfmt(why, len, "%s is in no module", to);
		return 0;
	}
	if (m == f->module || modules[m].layer < modules[f->module].layer)
		return 1;
	util_strfmt(why, len, "%s is %s, layer %d, not below %s's %d", to, modules[m].name,
	       modules[m].layer, modules[f->module].name, modules[f->module].layer);
	return 0;
}

static struct file *find(const char *path)
{
	for (int i = 0; i < nfiles; i++)
		if (!strcmp(files[i].path, path))
			return &files[i];
	return NULL;
}

/* Depth-first search for a file reached again while on the path. */
static int cycle_from(struct file *f, char *path, size_t len)
{
	size_t at = strlen(path);

	snprintf(path + at, len - at, "%s%s", at ? " -> " : "", f->path);
	if (f->color == 1)
		return 1;
	if (f->color == 2) {
		path[at] = '\0';
		return 0;
	}
	f->color = 1;
	for (int i = 0; i < f->ninc; i++) {
		struct file *g = find(f->inc[i]);

		if (g && cycle_from(g, path, len))
			return 1;
	}
	f->color = 2;
	path[at] = '\0';
	return 0;
}

int main(int argc, char **argv)
{
	char path[4096] = "";
	int cycle = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: %s docs/architecture.md src/\n", argv[0]);
		return 2;
	}
	if (!ok(read_table(argv[1]) == 0 && nmodules > 10, "%s has a module table (%d modules)",
		argv[1], nmodules))
		return done_testing();
	read_dir(argv[2], "");
	read_dir(argv[2], "workloads");
	ok(nfiles > 20 && find("main.c") && find("workloads/registry.c"),
	   "src/ has its files (%d)", nfiles);

	for (int i = 0; i < nfiles; i++) {
		struct file *f = &files[i];
		char why[256] = "";
		int good = 1;

		if (!ok(f->module >= 0, "%s is in a module of the table", f->path))
			continue;
		for (int k = 0; k < f->ninc && good; k++)
			good = downward(f, f->inc[k], why, sizeof(why));
		ok(good, "%s (%s, layer %d) includes only its own module and lower layers%s%s",
		   f->path, modules[f->module].name, modules[f->module].layer, *why ? ": " : "", why);
	}
	for (int i = 0; i < nfiles && !cycle; i++)
		cycle = cycle_from(&files[i], path, sizeof(path));
	ok(!cycle, "no include cycle%s%s", cycle ? ": " : "", cycle ? path : "");

	/* The checks themselves: an upward include and a cycle are seen. */
	{
		struct file a = { "util.c", module_of("util.c"), 1, { "run.h" }, 0 };
		struct file b = { "run.h", module_of("run.h"), 1, { "util.c" }, 0 };
		char why[256];

		ok(a.module >= 0 && !downward(&a, "run.h", why, sizeof(why)),
		   "an include of run.h from util.c is refused (%s)", why);
		nfiles = 0;
		files[nfiles++] = a;
		files[nfiles++] = b;
		path[0] = '\0';
		ok(cycle_from(&files[0], path, sizeof(path)), "a cycle is found (%s)", path);
	}
	return done_testing();
}
