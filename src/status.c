/* SPDX-License-Identifier: LGPL-3.0-or-later */
/* status: per ESP, what it is, whether it boots, whether it is in step.
 * Human-readable by default, one JSON object with --json (keys documented
 * in bootsync(8)). Reads only. */
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "log.h"
#include "size.h"
#include "survey.h"
#include "text.h"
#include "verbs.h"

#define STATUS_MAX_DIFFS_SHOWN 20

static const char *status_yes_no(bool b) { return b ? "yes" : "no"; }

/* Would this ESP boot the machine alone, today, with the others gone? In
 * step (or the source), bootable, its systemd-boot not behind the
 * source's, and a firmware boot entry that boots it. */
static bool status_boots_alone(const struct survey_esp *e)
{
	return survey_in_step(e) == 1 && e->bootable == 1 && !e->loader_behind &&
	       survey_loader_version(e) != NULL && e->firmware_entry != NULL;
}

static bool status_every_esp_boots_alone(const struct survey *s)
{
	if (s->set.n == 0)
		return false;
	for (size_t i = 0; i < s->set.n; i++)
		if (!status_boots_alone(&s->esps[i]))
			return false;
	return true;
}

/* "    loader: systemd-boot 252.39 (behind the source's 254)" */
static void status_print_loader(const struct survey *s, const struct survey_esp *e)
{
	const char *v = survey_loader_version(e);
	if (!e->loader_known && reason_empty(&e->loader_note))
		return;
	printf("    loader: ");
	if (v)
		printf("systemd-boot %s", text_safe(v));
	else if (e->loader_sd.present || e->loader_fb.present)
		printf("not systemd-boot");
	else if (e->loader_known)
		printf("none");
	else
		printf("?");
	if (e->loader_behind && s->loader)
		printf(" (behind the source's %s)", text_safe(s->loader->version));
	if (!reason_empty(&e->loader_note))
		printf(" (%s)", text_safe(e->loader_note.text));
	putchar('\n');
}

static void status_print_esp(const struct survey *s, const struct survey_esp *e)
{
	const struct esp *esp = e->esp;
	printf("%s: %s", text_safe(esp->path), survey_state_name(e->state));
	if (e->state == SURVEY_DIFFERS)
		printf(" (%zu change%s)", e->plan.n, e->plan.n == 1 ? "" : "s");
	if (e->state == SURVEY_REFUSED || e->state == SURVEY_TOO_SMALL ||
	    e->state == SURVEY_INCOMPLETE)
		printf(" (%s)", text_safe(e->reason.text));
	putchar('\n');
	if (!esp->mounted) {
		printf("    mounted: no\n");
		return;
	}
	printf("    mounted: yes, %s, PARTUUID %s\n", text_safe(esp->device ? esp->device : "?"),
	       esp->partuuid[0] ? esp->partuuid : "?");
	printf("    booted: %s   bound: %s   firmware entry: ",
	       s->booted_known ? status_yes_no(e->booted) : "?",
	       status_yes_no(e == s->source));
	if (e->firmware_entry)
		printf("Boot%04X%s\n", (unsigned)e->firmware_entry->number,
		       e->firmware_entry->in_boot_order ? "" : " (not in BootOrder)");
	else
		printf("none\n");
	printf("    kernels:");
	if (!e->scanned)
		printf(" ?");
	for (size_t i = 0; i < e->kernels.n; i++)
		printf(" %s", text_safe(e->kernels.v[i]));
	if (e->scanned && e->kernels.n == 0)
		printf(" none");
	putchar('\n');
	if (e->bootable >= 0)
		printf("    bootable: %s%s%s\n", status_yes_no(e->bootable == 1),
		       e->bootable == 1 ? "" : ": ", e->bootable == 1 ? "" : text_safe(e->bootable_why.text));
	status_print_loader(s, e);
	if (e->space_known) {
		char fr[SIZE_STR_MAX], sz[SIZE_STR_MAX];
		size_format(e->free_bytes, fr, sizeof fr);
		size_format(e->size_bytes, sz, sizeof sz);
		printf("    space: %s free of %s\n", fr, sz);
	}
	for (size_t i = 0; i < e->plan.n && i < STATUS_MAX_DIFFS_SHOWN; i++)
		printf("    to do: %s %s\n", plan_op_name(e->plan.ops[i].kind),
		       text_safe(e->plan.ops[i].path));
	if (e->plan.n > STATUS_MAX_DIFFS_SHOWN)
		printf("    ... and %zu more (bootsync sync --dry-run lists all)\n",
		       e->plan.n - STATUS_MAX_DIFFS_SHOWN);
}

static void status_print(const struct survey *s)
{
	printf("ESP root %s: ", text_safe(s->set.root));
	if (s->source)
		printf("bind of %s\n", text_safe(s->source->esp->path));
	else
		printf(s->set.root_mounted ? "mounted, but not a bind of one ESP\n"
					   : "not mounted\n");
	printf("entry token: %s\n", s->have_token ? text_safe(s->token) : "?");
	printf("newest kernel in %s: %s\n", text_safe(s->paths->modules),
	       s->newest ? text_safe(s->newest) : "?");
	if (s->booted_known)
		printf("booted from: PARTUUID %s (%s)\n", s->booted.partuuid,
		       booted_source_name(s->booted.how));
	else
		printf("booted from: unknown (%s)\n", text_safe(s->booted_why.text));
	for (size_t i = 0; i < s->nproblems; i++)
		printf("problem: %s\n", text_safe(s->problems[i].text));
	for (size_t i = 0; i < s->nwarnings; i++)
		printf("warning: %s\n", text_safe(s->warnings[i].text));
	printf("every ESP boots alone: %s\n", status_yes_no(status_every_esp_boots_alone(s)));
	for (size_t i = 0; i < s->set.n; i++) {
		putchar('\n');
		status_print_esp(s, &s->esps[i]);
	}
}

static void status_json_esp(struct json *j, const struct survey *s, const struct survey_esp *e)
{
	const struct esp *esp = e->esp;
	char name[2] = { esp->letter, '\0' };
	json_object_begin(j, NULL);
	json_string(j, "name", name);
	json_string(j, "path", esp->path);
	json_string(j, "state", survey_state_name(e->state));
	bool has_reason = e->state == SURVEY_REFUSED || e->state == SURVEY_TOO_SMALL ||
			  e->state == SURVEY_INCOMPLETE;
	json_string(j, "reason", has_reason ? e->reason.text : NULL);
	json_bool(j, "mounted", esp->mounted);
	json_string(j, "device", esp->device);
	json_string(j, "partuuid", esp->partuuid[0] ? esp->partuuid : NULL);
	if (s->booted_known)
		json_bool(j, "booted", e->booted);
	else
		json_null(j, "booted");
	json_bool(j, "bound", e == s->source);
	if (e->scanned) {
		json_array_begin(j, "kernels");
		for (size_t i = 0; i < e->kernels.n; i++)
			json_string(j, NULL, e->kernels.v[i]);
		json_array_end(j);
	} else
		json_null(j, "kernels");
	int in_step = survey_in_step(e);
	if (in_step < 0)
		json_null(j, "in_step");
	else
		json_bool(j, "in_step", in_step);
	json_array_begin(j, "differences");
	for (size_t i = 0; i < e->plan.n; i++) {
		json_object_begin(j, NULL);
		json_string(j, "op", plan_op_name(e->plan.ops[i].kind));
		json_string(j, "path", e->plan.ops[i].path);
		json_object_end(j);
	}
	json_array_end(j);
	if (e->bootable >= 0)
		json_bool(j, "bootable", e->bootable == 1);
	else
		json_null(j, "bootable");
	json_string(j, "bootable_reason", e->bootable == 0 ? e->bootable_why.text : NULL);
	if (e->space_known) {
		json_uint(j, "free_bytes", e->free_bytes);
		json_uint(j, "size_bytes", e->size_bytes);
	} else {
		json_null(j, "free_bytes");
		json_null(j, "size_bytes");
	}
	if (e->loader_known) {
		json_object_begin(j, "loader");
		json_string(j, "version", survey_loader_version(e));
		json_bool(j, "behind", e->loader_behind);
		json_object_end(j);
	} else
		json_null(j, "loader");
	if (e->firmware_entry) {
		char buf[16];
		snprintf(buf, sizeof buf, "Boot%04X", (unsigned)e->firmware_entry->number);
		json_object_begin(j, "firmware_entry");
		json_string(j, "name", buf);
		json_uint(j, "number", e->firmware_entry->number);
		json_string(j, "description", e->firmware_entry->opt.description);
		json_bool(j, "in_boot_order", e->firmware_entry->in_boot_order);
		json_object_end(j);
	} else
		json_null(j, "firmware_entry");
	json_object_end(j);
}

static void status_json(const struct survey *s, bool all_in_step, bool all_bootable)
{
	struct json j;
	json_init(&j, stdout);
	json_object_begin(&j, NULL);
	json_string(&j, "esp_root", s->set.root);
	json_string(&j, "token", s->have_token ? s->token : NULL);
	json_string(&j, "booted_partuuid", s->booted_known ? s->booted.partuuid : NULL);
	json_string(&j, "booted_from", s->booted_known ? booted_source_name(s->booted.how) : NULL);
	json_string(&j, "source", s->source ? s->source->esp->path : NULL);
	json_string(&j, "newest_kernel", s->newest);
	json_bool(&j, "in_step", all_in_step);
	json_bool(&j, "bootable", all_bootable);
	json_bool(&j, "every_esp_boots_alone", status_every_esp_boots_alone(s));
	json_array_begin(&j, "problems");
	for (size_t i = 0; i < s->nproblems; i++)
		json_string(&j, NULL, s->problems[i].text);
	json_array_end(&j);
	json_array_begin(&j, "warnings");
	for (size_t i = 0; i < s->nwarnings; i++)
		json_string(&j, NULL, s->warnings[i].text);
	json_array_end(&j);
	json_array_begin(&j, "esps");
	for (size_t i = 0; i < s->set.n; i++)
		status_json_esp(&j, s, &s->esps[i]);
	json_array_end(&j);
	json_object_end(&j);
}

int status_run(const struct options *o)
{
	struct survey s;
	int ret = EXIT_PRECONDITION;
	if (survey_prepare(&s, &paths_system, o->esp_root, SURVEY_TO_SHOW, 0) < 0) {
		log_error("%s", s.problems[s.nproblems - 1].text);
		goto out;
	}
	if (s.set.n == 0) {
		log_error("no %s@[a-z] directory or mount: no ESP to report on", o->esp_root);
		goto out;
	}
	/* Status shows what it can: a failed precondition is one of its
	 * problems, and what depends on it is shown as unknown. */
	(void)survey_examine(&s, NULL);
	survey_describe(&s);

	/* Healthy: a source, another ESP, all in step and all bootable. */
	bool all_in_step = s.source && s.examined && s.set.n > 1;
	bool all_bootable = true;
	for (size_t i = 0; i < s.set.n; i++) {
		if (survey_in_step(&s.esps[i]) != 1)
			all_in_step = false;
		if (s.esps[i].bootable != 1)
			all_bootable = false;
	}
	if (o->json)
		status_json(&s, all_in_step, all_bootable);
	else
		status_print(&s);
	ret = all_in_step && all_bootable ? EXIT_OK : EXIT_INCOMPLETE;
out:
	survey_free(&s);
	return ret;
}
