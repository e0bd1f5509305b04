/*
 * A vCPU's debug registers (see vdebug.h). Register encodings from the Arm
 * ARM, C5.3 "A-Z AArch64 System register encodings" (op0 = 0b10).
 */
#include "core/vdebug.h"

#define ENC(op1, crn, crm, op2) ((2U << 14) | ((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2))

#define REG_OSDTRRX_EL1	    ENC(0, 0, 0, 2)
#define REG_MDCCINT_EL1	    ENC(0, 0, 2, 0)
#define REG_OSDTRTX_EL1	    ENC(0, 0, 3, 2)
#define REG_OSECCR_EL1	    ENC(0, 0, 6, 2)
#define REG_MDRAR_EL1	    ENC(0, 1, 0, 0)
#define REG_OSLAR_EL1	    ENC(0, 1, 0, 4)
#define REG_OSLSR_EL1	    ENC(0, 1, 1, 4)
#define REG_OSDLR_EL1	    ENC(0, 1, 3, 4)
#define REG_DBGPRCR_EL1	    ENC(0, 1, 4, 4)
#define REG_DBGCLAIMSET_EL1 ENC(0, 7, 8, 6)
#define REG_DBGCLAIMCLR_EL1 ENC(0, 7, 9, 6)
#define REG_MDCCSR_EL0	    ENC(3, 0, 1, 0)
#define REG_DBGDTR_EL0	    ENC(3, 0, 4, 0)
#define REG_DBGDTRRXTX_EL0  ENC(3, 0, 5, 0)
/* DBGBVR<n> op2 4, DBGBCR<n> 5, DBGWVR<n> 6, DBGWCR<n> 7, with CRn 0 and CRm = n. */
#define POINT_MASK ((3U << 14) | (7U << 11) | (15U << 7)) /* op0, op1, CRn */
#define POINT_BASE ENC(0, 0, 0, 0)

/* DBGBCR<n>_EL1 fields (D13.3.2): E, PMC, BAS, HMC, SSC, LBN, BT. */
#define BCR_WRITABLE 0x00ffe1e7ULL
#define BCR_HMC	     (1ULL << 13)
#define BCR_BT_VMID  (1ULL << 23) /* BT 0b1xxx: VMID match, for EL2 only */
/* DBGWCR<n>_EL1 fields (D13.3.11): E, PAC, LSC, BAS, HMC, SSC, LBN, WT, MASK. */
#define WCR_WRITABLE 0x1f1fffffULL
#define WCR_HMC	     (1ULL << 13)
#define CR_ENABLE    1ULL
/* MDSCR_EL1 (D13.3.26): SS [0], TDCC [12], KDE [13], MDE [15]; HDE [14] is external debug's. */
#define MDSCR_WRITABLE ((1ULL << 0) | (1ULL << 12) | (1ULL << 13) | (1ULL << 15))
/* OSLSR_EL1: OSLM = 0b10 (OS lock implemented) in bits [3] and [0], OSLK [1]. */
#define OSLSR_OSLM_IMPLEMENTED (1ULL << 3)
#define OSLSR_OSLK	       (1ULL << 1)
#define CLAIM_TAGS	       0xffU

uint64_t vdebug_sanitize_bcr(uint64_t value)
{
	return value & BCR_WRITABLE & ~(BCR_HMC | BCR_BT_VMID);
}

uint64_t vdebug_sanitize_wcr(uint64_t value)
{
	return value & WCR_WRITABLE & ~WCR_HMC;
}

uint64_t vdebug_sanitize_mdscr(uint64_t value)
{
	return value & MDSCR_WRITABLE;
}

static void update_enabled(struct vdebug *d)
{
	d->any_enabled = false;
	if (d->os_lock)
		return;
	for (unsigned int n = 0; n < VDEBUG_MAX_POINTS; n++) {
		if ((d->bcr[n] | d->wcr[n]) & CR_ENABLE)
			d->any_enabled = true;
	}
}

void vdebug_reset(struct vdebug *d)
{
	*d = (struct vdebug){.os_lock = true};
}

/* DBGBVR/BCR/WVR/WCR<n>: the register slot, or NULL if the core has no such point. */
static uint64_t *point_register(struct vdebug *d, const struct vdebug_limits *lim, uint32_t reg)
{
	unsigned int n = (reg >> 3) & 15;

	switch (reg & 7) {
	case 4:
		return n < lim->breakpoints ? &d->bvr[n] : 0;
	case 5:
		return n < lim->breakpoints ? &d->bcr[n] : 0;
	case 6:
		return n < lim->watchpoints ? &d->wvr[n] : 0;
	case 7:
		return n < lim->watchpoints ? &d->wcr[n] : 0;
	default:
		return 0;
	}
}

static bool access_point(struct vdebug *d, const struct vdebug_limits *lim, uint32_t reg, bool read,
			 uint64_t *value, bool *hw_changed)
{
	uint64_t *slot = point_register(d, lim, reg);

	if (!slot)
		return false;
	if (read) {
		*value = *slot;
		return true;
	}
	if ((reg & 7) == 5)
		*slot = vdebug_sanitize_bcr(*value);
	else if ((reg & 7) == 7)
		*slot = vdebug_sanitize_wcr(*value);
	else
		*slot = *value;
	update_enabled(d);
	*hw_changed = true;
	return true;
}

/* The OS lock, claim tags and interrupt enables: state of this vCPU only. */
static bool access_control(struct vdebug *d, uint32_t reg, bool read, uint64_t *value,
			   bool *hw_changed)
{
	switch (reg) {
	case REG_OSLAR_EL1:
		if (read)
			return false; /* write-only */
		d->os_lock = *value & 1;
		update_enabled(d);
		*hw_changed = true;
		return true;
	case REG_OSLSR_EL1:
		if (!read)
			return false; /* read-only */
		*value = OSLSR_OSLM_IMPLEMENTED | (d->os_lock ? OSLSR_OSLK : 0);
		return true;
	case REG_MDCCINT_EL1:
		if (read)
			*value = d->mdccint;
		else
			d->mdccint = *value & (3ULL << 29); /* TX [29], RX [30] */
		return true;
	case REG_DBGCLAIMSET_EL1:
		if (read)
			*value = CLAIM_TAGS; /* which tags exist */
		else
			d->claim |= (uint32_t)*value & CLAIM_TAGS;
		return true;
	case REG_DBGCLAIMCLR_EL1:
		if (read)
			*value = d->claim;
		else
			d->claim &= ~((uint32_t)*value & CLAIM_TAGS);
		return true;
	default:
		return false;
	}
}

/*
 * What a VM has no use for reads as zero and ignores writes: the debug
 * communications channel (no external debugger talks to a VM), the OS
 * double lock and power-down request, the ROM table address.
 */
static bool access_razwi(uint32_t reg, bool read, uint64_t *value)
{
	switch (reg) {
	case REG_OSDTRRX_EL1:
	case REG_OSDTRTX_EL1:
	case REG_OSECCR_EL1:
	case REG_OSDLR_EL1:
	case REG_DBGPRCR_EL1:
	case REG_MDCCSR_EL0:
	case REG_DBGDTR_EL0:
	case REG_DBGDTRRXTX_EL0:
	case REG_MDRAR_EL1:
		if (read)
			*value = 0;
		return true;
	default:
		return false;
	}
}

bool vdebug_access(struct vdebug *d, const struct vdebug_limits *lim, uint32_t reg, bool read,
		   uint64_t *value, bool *hw_changed)
{
	if ((reg & POINT_MASK) == POINT_BASE && (reg & 7) >= 4)
		return access_point(d, lim, reg, read, value, hw_changed);
	return access_control(d, reg, read, value, hw_changed) || access_razwi(reg, read, value);
}
