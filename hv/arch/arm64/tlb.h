#pragma once
/* TLB maintenance for the hypervisor and its VMs. */
#include <stdint.h>

/*
 * Invalidates every stage-1 and stage-2 TLB entry tagged with this VTTBR's
 * VMID (TLBI VMALLS12E1IS acts on the VMID currently in VTTBR_EL2), so a
 * recycled VMID never sees translations of the VM that had it before.
 */
void tlb_flush_vmid(uint64_t vttbr);
