#pragma once
/*
 * PSCI, the Arm Power State Coordination Interface (Arm DEN 0022, version
 * 1.0), as a VM sees it: the calls an OS makes to start and stop its CPUs
 * and to switch the whole machine off or reset it. A VM reaches it with HVC
 * (or SMC) following the SMC Calling Convention: function id in w0,
 * arguments in x1-x3, result in x0. Linux finds it through the device
 * tree's /psci node (method = "hvc") and its CPUs' enable-method = "psci".
 */
#include "arch/arm64/trap_frame.h"

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

/* PSCI function ids (DEN 0022 §5.1): bit 30 set = the SMC64 form. */
#define PSCI_VERSION	       0x84000000U
#define PSCI_CPU_SUSPEND_32    0x84000001U
#define PSCI_CPU_SUSPEND_64    0xc4000001U
#define PSCI_CPU_OFF	       0x84000002U
#define PSCI_CPU_ON_32	       0x84000003U
#define PSCI_CPU_ON_64	       0xc4000003U
#define PSCI_AFFINITY_INFO_32  0x84000004U
#define PSCI_AFFINITY_INFO_64  0xc4000004U
#define PSCI_MIGRATE_INFO_TYPE 0x84000006U
#define PSCI_SYSTEM_OFF	       0x84000008U
#define PSCI_SYSTEM_RESET      0x84000009U
#define PSCI_FEATURES	       0x8400000aU

/* Return codes (DEN 0022 §5.2.2). */
#define PSCI_SUCCESS		(0L)
#define PSCI_NOT_SUPPORTED	(-1L)
#define PSCI_INVALID_PARAMETERS (-2L)
#define PSCI_ALREADY_ON		(-4L)
#define PSCI_INVALID_ADDRESS	(-9L)

/* AFFINITY_INFO answers. */
#define PSCI_AFFINITY_ON  0L
#define PSCI_AFFINITY_OFF 1L

/* MIGRATE_INFO_TYPE: no Trusted OS, nothing to migrate. */
#define PSCI_TOS_NOT_PRESENT 2L

/* PSCI 1.0: major version in bits 31:16, minor in 15:0. */
#define PSCI_VERSION_1_0 0x00010000L

/* Whether w0 holds a PSCI function id (the "standard secure service" range, 0x00-0x1f). */
bool psci_is_call(uint64_t x0);

/*
 * Carries out the PSCI call in frame->x[0] for vCPU v and puts the result in
 * frame->x[0]. CPU_OFF and the SYSTEM_* calls do not return to the caller.
 */
void psci_call(struct vcpu *v, struct trap_frame *frame);
