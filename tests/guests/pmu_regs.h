/*
 * The PMU registers regs_writer programs and regs_reader looks at. A VM
 * has no PMU (MDCR_EL2.TPM): every access is an undefined instruction,
 * which the guests catch (pmu_undefined counts them).
 */
#pragma once

#include "lib/sysreg.h"

#include <stdint.h>

ACCESSORS(pmcr_el0)
ACCESSORS(pmcntenset_el0)
ACCESSORS(pmintenset_el1)
ACCESSORS(pmovsset_el0)
ACCESSORS(pmselr_el0)
ACCESSORS(pmuserenr_el0)
ACCESSORS(pmccfiltr_el0)
ACCESSORS(pmevtyper0_el0)
ACCESSORS(pmccntr_el0)
ACCESSORS(pmevcntr0_el0)

/* PMCR_EL0.E and .C; PMCCFILTR_EL0: P and U (not EL1, not EL0) and NSH (EL2): the hypervisor only.
 */
#define PMCR_E_C	   0x5ULL
#define PMCCFILTR_EL2_ONLY ((1ULL << 31) | (1ULL << 30) | (1ULL << 27))

#define PMU_TABLE                                                                                  \
	{                                                                                          \
		REG(pmcr_el0, PMCR_E_C, 0), REG(pmcntenset_el0, (1ULL << 31) | 1, 0),              \
		    REG(pmintenset_el1, 1ULL << 31, 0), REG(pmovsset_el0, 1, 0),                   \
		    REG(pmselr_el0, 0x1f, 0), REG(pmuserenr_el0, 0xf, 0),                          \
		    REG(pmccfiltr_el0, PMCCFILTR_EL2_ONLY, 0), REG(pmevtyper0_el0, 0x11, 0),       \
		    REG(pmccntr_el0, 0, 0), REG(pmevcntr0_el0, 0, 0),                              \
	}
