#include "core/loader.h"
#include "board/board.h"
#include "core/sched.h"
#include "core/storage.h"
#include "core/vm.h"
#include "fs/fat32.h"
#include "lib/printf.h"
#include "lib/string.h"

/*
 * The size of one step. In QEMU the SD card reads 4-10 MB/s (PIO, one
 * emulated register access per word) and clearing RAM runs at 150-700 MB/s
 * (slower where QEMU's host pages are touched for the first time): either
 * step takes 1.5-8 ms, 15 ms on a busy host. The shell, served between
 * steps, answers a key within 50 ms, and a guest's timer interrupt waits at
 * most that long. On a real Pi 3 the card is faster (about 20 MB/s at
 * 50 MHz, 4 bits) and steps are shorter still.
 */
#define READ_STEP_BYTES	 (32UL << 10)
#define CLEAR_STEP_BYTES (1UL << 20)

/* Checks that `path` is a file that fits at guest-physical [ipa, ram end); returns its size. */
static bool check_file(struct fat32_volume *vol, const char *what, const char *path, uint64_t ipa,
		       uint64_t ram_size, uint64_t *size, char *err, size_t err_size)
{
	struct fat32_entry entry;
	int rc = fat32_stat(vol, path, &entry);

	if (rc < 0) {
		fmt_snprintf(err, err_size, "%s '%s': %s", what, path, fat32_strerror(rc));
		return false;
	}
	if (entry.is_dir) {
		fmt_snprintf(err, err_size, "%s '%s' is a directory", what, path);
		return false;
	}
	if (entry.size > ram_size - ipa) {
		fmt_snprintf(err, err_size,
			     "%s '%s' (%lu bytes) does not fit in the VM's memory at 0x%lx "
			     "(%lu bytes free there)",
			     what, path, entry.size, ipa, ram_size - ipa);
		return false;
	}
	*size = entry.size;
	return true;
}

/* Sizes of the files a spec names, 0 for those it does not name. */
struct file_sizes {
	uint64_t image, dtb, initrd;
};

/* Whether [a, a + a_size) and [b, b + b_size) share a byte; an empty range shares none. */
static bool overlap(uint64_t a, uint64_t a_size, uint64_t b, uint64_t b_size)
{
	return a_size && b_size && a < b + b_size && b < a + a_size;
}

/* Each file exists and fits in RAM where it goes, and no two overlap. */
static bool files_fit(struct fat32_volume *vol, const struct vm_spec *spec,
		      struct file_sizes *sizes, char *err, size_t err_size)
{
	*sizes = (struct file_sizes){0};
	if (!check_file(vol, "image", spec->image, spec->load_addr, spec->ram_size, &sizes->image,
			err, err_size))
		return false;
	if (spec->dtb[0] && !check_file(vol, "device tree", spec->dtb, spec->dtb_addr,
					spec->ram_size, &sizes->dtb, err, err_size))
		return false;
	if (spec->initrd[0] && !check_file(vol, "initrd", spec->initrd, spec->initrd_addr,
					   spec->ram_size, &sizes->initrd, err, err_size))
		return false;
	if (overlap(spec->dtb_addr, sizes->dtb, spec->load_addr, sizes->image)) {
		fmt_snprintf(err, err_size, "device tree at 0x%lx overlaps the image",
			     spec->dtb_addr);
		return false;
	}
	if (overlap(spec->initrd_addr, sizes->initrd, spec->load_addr, sizes->image)) {
		fmt_snprintf(err, err_size,
			     "initrd '%s' at initrd_addr 0x%lx (%lu bytes) overlaps the image "
			     "(0x%lx-0x%lx)",
			     spec->initrd, spec->initrd_addr, sizes->initrd, spec->load_addr,
			     spec->load_addr + sizes->image);
		return false;
	}
	if (overlap(spec->initrd_addr, sizes->initrd, spec->dtb_addr, sizes->dtb)) {
		fmt_snprintf(
		    err, err_size,
		    "initrd '%s' at initrd_addr 0x%lx (%lu bytes) overlaps the device tree "
		    "at 0x%lx",
		    spec->initrd, spec->initrd_addr, sizes->initrd, spec->dtb_addr);
		return false;
	}
	return true;
}

/* The spec a VM was created from, rebuilt from what the VM keeps. */
static void spec_of(const struct vm *vm, struct vm_spec *spec)
{
	*spec = (struct vm_spec){0};
	strlcpy(spec->name, vm->name, sizeof(spec->name));
	strlcpy(spec->image, vm->image, sizeof(spec->image));
	strlcpy(spec->dtb, vm->dtb, sizeof(spec->dtb));
	spec->dtb_addr = vm->dtb_addr;
	strlcpy(spec->initrd, vm->initrd, sizeof(spec->initrd));
	spec->initrd_addr = vm->initrd_addr;
	spec->load_addr = vm->load_addr;
	spec->entry = vm->entry;
	spec->ram_size = vm->ram_size;
}

/* What a job is doing: zeroing the VM's RAM, then reading file after file. */
enum load_phase {
	PHASE_CLEAR,
	PHASE_FILES,
};

/* The files of a VM, in the order they are read. */
enum load_file_index {
	FILE_IMAGE,
	FILE_DTB,
	FILE_INITRD,
	FILE_COUNT,
};

struct load_file {
	const char *what, *path; /* path "" = not named */
	uint64_t ipa, size;
};

/* A VM's load: one per VM slot; vm NULL = no job. */
struct load_job {
	struct vm *vm;
	uint64_t ticket; /* queue order: the lowest runs first */
	bool autostart;
	load_done_fn done;
	enum load_phase phase;
	uint64_t cleared; /* bytes of RAM zeroed */
	struct load_file files[FILE_COUNT];
	unsigned int file;	  /* the one being read */
	bool open;		  /* cursor is that file, open */
	struct fat32_file cursor; /* where the next chunk comes from */
	uint64_t read, total;	  /* file bytes read, and to read */
	uint64_t queued_us;	  /* board time when it was queued */
	uint64_t read_us;	  /* time spent reading from the card */
};

static struct load_job jobs[VM_MAX];
static uint64_t next_ticket;
static unsigned int jobs_queued;

static struct load_job *job_of(const struct vm *vm)
{
	return &jobs[vm->id - 1];
}

bool loader_pending(void)
{
	return jobs_queued != 0;
}

/* The job that runs now: the one queued first. */
static struct load_job *current_job(void)
{
	struct load_job *first = NULL;

	for (unsigned int i = 0; i < VM_MAX; i++) {
		if (jobs[i].vm && (!first || jobs[i].ticket < first->ticket))
			first = &jobs[i];
	}
	return first;
}

static void describe_files(struct load_job *job, const struct file_sizes *sizes)
{
	const struct vm *vm = job->vm;

	job->files[FILE_IMAGE] =
	    (struct load_file){"image", vm->image, vm->load_addr, sizes->image};
	job->files[FILE_DTB] = (struct load_file){"device tree", vm->dtb, vm->dtb_addr, sizes->dtb};
	job->files[FILE_INITRD] =
	    (struct load_file){"initrd", vm->initrd, vm->initrd_addr, sizes->initrd};
	job->total = sizes->image + sizes->dtb + sizes->initrd;
}

int loader_queue(struct vm *vm, bool autostart, load_done_fn done, char *err, size_t err_size)
{
	struct fat32_volume *vol = storage_require();
	struct file_sizes sizes;
	struct load_job *job;
	struct vm_spec spec;

	if (!vol) {
		fmt_snprintf(err, err_size, "%s", storage_error());
		return -1;
	}
	spec_of(vm, &spec);
	if (!files_fit(vol, &spec, &sizes, err, err_size))
		return -1;
	loader_cancel(vm);
	job = job_of(vm);
	*job = (struct load_job){
	    .vm = vm,
	    .ticket = next_ticket++,
	    .autostart = autostart,
	    .done = done,
	    .queued_us = board_uptime_us(),
	};
	describe_files(job, &sizes);
	jobs_queued++;
	vm->files_loaded = false;
	vm->state = VM_LOADING;
	vm->stop_reason[0] = '\0';
	return 0;
}

/* The job is over: its slot is free again. */
static void drop_job(struct load_job *job)
{
	job->vm = NULL;
	jobs_queued--;
}

static void fill_report(const struct load_job *job, struct load_report *report)
{
	*report = (struct load_report){
	    .image_bytes = job->files[FILE_IMAGE].size,
	    .dtb_bytes = job->files[FILE_DTB].size,
	    .initrd_bytes = job->files[FILE_INITRD].size,
	    .micros = job->read_us,
	    .elapsed_us = board_uptime_us() - job->queued_us,
	};
}

void loader_cancel(struct vm *vm)
{
	struct load_job *job = job_of(vm);
	struct load_report report;
	load_done_fn done = job->done;

	if (job->vm != vm)
		return;
	fill_report(job, &report);
	drop_job(job);
	vm->state = VM_STOPPED;
	strlcpy(vm->stop_reason, "loading cancelled (vmstart or vmrestart loads it again)",
		sizeof(vm->stop_reason));
	if (done)
		done(vm, &report, "cancelled");
}

/* The files are in: the guest may start. */
static void finish(struct load_job *job)
{
	struct vm *vm = job->vm;
	struct load_report report;
	load_done_fn done = job->done;
	bool autostart = job->autostart;

	fill_report(job, &report);
	drop_job(job);
	vm->files_loaded = true;
	vm->state = VM_STOPPED;
	strlcpy(vm->stop_reason, "not started", sizeof(vm->stop_reason));
	/*
	 * Reported first, started second: the guest may run on another core at
	 * once, and its first fault report must not come before its start.
	 */
	report.starts = autostart;
	if (done)
		done(vm, &report, NULL);
	if (autostart)
		vm_start(vm);
}

/* Loading failed: the VM stops, with one report line saying which file and why. */
static void fail(struct load_job *job, const char *err)
{
	struct vm *vm = job->vm;
	struct load_report report;
	load_done_fn done = job->done;

	fill_report(job, &report);
	drop_job(job);
	vm_stop(vm, "loading failed: %s (vmrestart tries again)", err);
	if (done)
		done(vm, &report, err);
}

static void clear_step(struct load_job *job)
{
	struct vm *vm = job->vm;
	uint64_t size = vm->ram_size - job->cleared;

	if (size > CLEAR_STEP_BYTES)
		size = CLEAR_STEP_BYTES;
	vm_clear_ram(vm, job->cleared, size);
	job->cleared += size;
	if (job->cleared == vm->ram_size)
		job->phase = PHASE_FILES;
}

/* Moves job->file past the files already read and those not named; false after the last. */
static bool next_file(struct load_job *job)
{
	while (job->file < FILE_COUNT && !job->open && !job->files[job->file].path[0])
		job->file++;
	return job->file < FILE_COUNT;
}

/* The volume's message for the last error, or the error's name. */
static const char *fat32_detail(const struct fat32_volume *vol, int rc)
{
	const char *detail = fat32_last_error_detail(vol);

	return detail[0] ? detail : fat32_strerror(rc);
}

/*
 * A device error: the card may have been pulled, or changed for another (a
 * new card must be initialised before it answers). The next load or shell
 * command mounts it again.
 */
static void card_failed(int rc)
{
	if (rc == FAT32_ERR_IO)
		storage_forget(fat32_strerror(rc));
}

/* Opens the job's current file, checking it is still the size it was when queued. */
static bool open_file(struct fat32_volume *vol, struct load_job *job, char *err, size_t err_size)
{
	const struct load_file *f = &job->files[job->file];
	int rc = fat32_open(vol, f->path, &job->cursor);

	if (rc < 0) {
		card_failed(rc);
		/* As when the load was queued (check_file): "not found", "device read error". */
		fmt_snprintf(err, err_size, "%s '%s': %s", f->what, f->path, fat32_strerror(rc));
		return false;
	}
	if (job->cursor.entry.size != f->size) {
		fmt_snprintf(err, err_size, "%s '%s' changed on the card (%lu bytes, was %lu)",
			     f->what, f->path, job->cursor.entry.size, f->size);
		return false;
	}
	job->open = true;
	return true;
}

/* Reads the next chunk of the current file into the VM's RAM. */
static bool read_step(struct load_job *job, char *err, size_t err_size)
{
	struct fat32_volume *vol = storage_require();
	const struct load_file *f;
	uint64_t offset, size, got = 0;
	void *dst;
	int rc;

	if (!vol) {
		fmt_snprintf(err, err_size, "%s", storage_error());
		return false;
	}
	if (!job->open && !open_file(vol, job, err, err_size))
		return false;
	f = &job->files[job->file];
	offset = job->cursor.offset;
	size = f->size - offset < READ_STEP_BYTES ? f->size - offset : READ_STEP_BYTES;
	/* Checked when queued: the file fits in RAM at f->ipa. */
	dst = vm_guest_ptr(job->vm, f->ipa + offset, size);
	rc = size ? fat32_read_next(vol, &job->cursor, dst, READ_STEP_BYTES, &got) : 0;
	if (rc < 0 || got != size) {
		card_failed(rc);
		fmt_snprintf(err, err_size, "reading %s '%s' at byte %lu: %s", f->what, f->path,
			     offset, rc < 0 ? fat32_detail(vol, rc) : "short read");
		return false;
	}
	vm_finish_load(job->vm, f->ipa + offset, size);
	job->read += size;
	if (job->cursor.offset == f->size) {
		job->open = false;
		job->file++;
	}
	return true;
}

/* One bounded piece of the current job. */
static void step(struct load_job *job)
{
	char err[200];
	uint64_t start;
	bool ok;

	if (job->phase == PHASE_CLEAR) {
		clear_step(job);
		return;
	}
	if (!next_file(job)) {
		finish(job);
		return;
	}
	start = board_uptime_us();
	ok = read_step(job, err, sizeof(err));
	job->read_us += board_uptime_us() - start;
	if (!ok)
		fail(job, err);
}

void loader_run(uint64_t budget_us)
{
	uint64_t start = board_uptime_us();
	struct load_job *job;

	do {
		job = current_job();
		if (!job)
			return;
		step(job);
	} while (sched_can_resume_guest() && board_uptime_us() - start < budget_us);
}

/* Bytes as a person reads them: KiB below 1 MiB, else MiB with one decimal. */
static size_t format_bytes(char *buf, size_t size, uint64_t bytes)
{
	uint64_t tenths = bytes * 10 >> 20;

	if (bytes < (1UL << 20))
		return (size_t)fmt_snprintf(buf, size, "%lu KiB", (bytes + 1023) >> 10);
	return (size_t)fmt_snprintf(buf, size, "%lu.%lu MiB", tenths / 10, tenths % 10);
}

bool loader_progress_text(const struct vm *vm, char *buf, size_t size)
{
	const struct load_job *job = job_of(vm);
	char done[24], total[24];

	buf[0] = '\0';
	if (job->vm != vm)
		return false;
	format_bytes(done, sizeof(done), job->read);
	format_bytes(total, sizeof(total), job->total);
	fmt_snprintf(buf, size, "%s of %s (%lu%%)%s", done, total,
		     job->total ? job->read * 100 / job->total : 0,
		     current_job() != job	 ? ", queued behind another load"
		     : job->phase == PHASE_CLEAR ? ", clearing its memory first"
						 : "");
	return true;
}

struct vm *loader_create_vm(const struct vm_spec *spec, load_done_fn done, char *err,
			    size_t err_size)
{
	struct fat32_volume *vol = storage_require();
	struct file_sizes sizes;
	struct vm *vm;

	if (!vol) {
		fmt_snprintf(err, err_size, "%s", storage_error());
		return NULL;
	}
	/* Check the files before taking memory, so a bad spec costs nothing. */
	if (!files_fit(vol, spec, &sizes, err, err_size))
		return NULL;
	vm = vm_create(spec, err, err_size);
	if (!vm)
		return NULL;
	if (loader_queue(vm, spec->autostart, done, err, err_size) < 0) {
		vm_destroy(vm);
		return NULL;
	}
	return vm;
}

uint64_t loader_bytes_per_s(const struct load_report *report)
{
	uint64_t bytes = report->image_bytes + report->dtb_bytes + report->initrd_bytes;

	if (report->micros == 0)
		return 0;
	return bytes * 1000000 / report->micros;
}
