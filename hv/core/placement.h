#pragma once
/*
 * Where a VM's vCPUs run: each gets one physical core from the VM's cpus=
 * list when the VM is created, and keeps it for the VM's life (no
 * migration; docs/architecture.md, "Placement").
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vm;

/*
 * Places every vCPU of the VM on a core of `wanted` (0: any) that is
 * online: the one with the fewest vCPUs placed so far, preferring cores
 * without one of this VM's vCPUs yet, lowest number first. False, with the
 * problem in err, when none of the wanted cores is online.
 */
bool placement_place_vm(struct vm *vm, uint32_t wanted, char *err, size_t size);
/* Gives the VM's cores back (when it is destroyed). */
void placement_release_vm(struct vm *vm);
/* The cores the VM's vCPUs are placed on, as a mask. */
uint32_t placement_vm_cores(const struct vm *vm);
