#pragma once
/*
 * The VideoCore mailbox property channel (channel 8): the hypervisor asks the
 * firmware for the board revision, the ARM's share of RAM and clock rates.
 */
#include <stdbool.h>
#include <stdint.h>

bool mailbox_get_board_revision(uint32_t *revision);
bool mailbox_get_arm_memory(uint32_t *base, uint32_t *size);
bool mailbox_get_vc_memory(uint32_t *base, uint32_t *size);

/* Clock ids of the "get clock rate" tag (0x00030002). */
#define MAILBOX_CLOCK_EMMC 1U
/* The current rate of a firmware-managed clock, in Hz. */
bool mailbox_get_clock_rate(uint32_t clock_id, uint32_t *hz);
