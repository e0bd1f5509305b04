#pragma once
/*
 * The VideoCore mailbox property channel (channel 8): the hypervisor asks the
 * firmware for the board revision and the ARM's share of RAM.
 */
#include <stdbool.h>
#include <stdint.h>

bool mailbox_get_board_revision(uint32_t *revision);
bool mailbox_get_arm_memory(uint32_t *base, uint32_t *size);
bool mailbox_get_vc_memory(uint32_t *base, uint32_t *size);
