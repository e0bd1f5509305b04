#pragma once
/*
 * Creating VMs from the SD card, in the background. A VM's files (image,
 * device tree, initial RAM disk) are checked when its load is queued; then a
 * load job clears its RAM and reads the files into it. The scheduler runs
 * jobs a bounded step at a time (loader_run), while the core would otherwise
 * idle and in a turn of their own in the round robin, so the shell and the
 * other VMs go on meanwhile (docs/architecture.md, "Loading VMs in the
 * background"). Jobs run one at a time, in the order they were queued
 * (FIFO). A VM with a job queued or running is VM_LOADING; it starts by
 * itself when its files are in, if asked to.
 */
#include "core/config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vm;

struct load_report {
	uint64_t image_bytes;
	uint64_t dtb_bytes;
	uint64_t initrd_bytes;
	uint64_t micros;     /* time spent reading from the card */
	uint64_t elapsed_us; /* from queueing the load to its end */
	bool starts;	     /* the VM starts as soon as the report is made */
};

/*
 * Told when a job ends. err is NULL when the files are in; the VM is then
 * started right after this returns if report->starts (so that the report
 * comes before anything the guest makes the hypervisor say). Otherwise err
 * says what went wrong, and the VM is already stopped: "cancelled"
 * (loader_cancel; the VM may be about to be destroyed), or the file and
 * the error (a one-line report was printed).
 */
typedef void (*load_done_fn)(struct vm *vm, const struct load_report *report, const char *err);

/*
 * Creates a VM from `spec` and queues the load of its files; it starts when
 * they are in if spec->autostart. NULL with the problem in err (which file,
 * what is wrong) if the files are missing or do not fit, or the VM cannot
 * be created; nothing is left behind then.
 */
struct vm *loader_create_vm(const struct vm_spec *spec, load_done_fn done, char *err,
			    size_t err_size);

/*
 * Queues the load of a created (or reset) VM's files as its spec named them,
 * after checking that they are there and fit: 0 (the VM is VM_LOADING), or
 * -1 with the problem in err (the VM is left as it was).
 */
int loader_queue(struct vm *vm, bool autostart, load_done_fn done, char *err, size_t err_size);

/*
 * Drops the VM's job, if it has one (its `done` is told "cancelled"): the
 * VM is left VM_STOPPED with its files not loaded. vm_reset and vm_destroy
 * call it.
 */
void loader_cancel(struct vm *vm);

/* Whether a job waits to run (read by the scheduler's slow path on every pass). */
bool loader_pending(void);

/*
 * Runs loading steps for about budget_us, or until the scheduler has work
 * (sched_pending_work: a key was pressed, an alarm fired): at least one
 * step, each a bounded piece of work of a few milliseconds. Called by the
 * scheduler with interrupts enabled.
 */
void loader_run(uint64_t budget_us);

/*
 * The VM's progress for vml and vmi, e.g. "12.3 MiB of 33.0 MiB (37%)",
 * saying also when the load waits behind another or clears RAM. False
 * (buf "") if the VM has no job.
 */
bool loader_progress_text(const struct vm *vm, char *buf, size_t size);

/* Bytes per second for a report (0 if too fast to measure). */
uint64_t loader_bytes_per_s(const struct load_report *report);
