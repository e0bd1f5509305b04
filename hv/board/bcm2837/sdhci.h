#pragma once
/*
 * The SD card behind the BCM2837's "EMMC" controller: an Arasan SD host
 * controller following the SD Host Controller Simplified Specification 3.00
 * (SDHCI), at 0x3F300000. QEMU -M raspi3b emulates it with its generic SDHCI
 * model; on a real Pi 3 it reaches the micro-SD slot through GPIO 48-53.
 *
 * Reads and writes by polling (no DMA, no interrupts): the hypervisor loads
 * VM images and configuration files, and VMs' virtio disks are partitions
 * of the card. A write returns only once the card reports the data
 * programmed (CMD13). Every wait is bounded by the system timer.
 *
 * The card must be an SD memory card (SDSC, SDHC or SDXC); MMC and SDUC
 * cards are refused. Errors are negative values of enum sd_error, which
 * sdhci_strerror() puts into words.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SD_BLOCK_SIZE 512U

enum sd_error {
	SD_OK = 0,
	SD_ERR_NOT_INITIALISED = 1, /* sdhci_init() has not succeeded */
	SD_ERR_NO_CARD,		    /* no answer to CMD8 nor CMD55/ACMD41 */
	/* The host controller's Error Interrupt Status bits, one code each. */
	SD_ERR_CMD_TIMEOUT,  /* Command Timeout Error: no response */
	SD_ERR_CMD_CRC,	     /* Command CRC Error */
	SD_ERR_CMD_END_BIT,  /* Command End Bit Error */
	SD_ERR_CMD_INDEX,    /* Command Index Error */
	SD_ERR_DATA_TIMEOUT, /* Data Timeout Error */
	SD_ERR_DATA_CRC,     /* Data CRC Error */
	SD_ERR_DATA_END_BIT, /* Data End Bit Error */
	SD_ERR_AUTO_CMD12,   /* Auto CMD Error: the automatic CMD12 after a multi-block transfer
				failed */
	SD_ERR_HOST,	     /* any other error bit (current limit, ADMA, tuning, vendor) */
	/* The controller itself not finishing in time (the driver's own timeouts). */
	SD_ERR_HOST_TIMEOUT, /* no Command Complete / Buffer Read Ready / Transfer Complete */
	SD_ERR_RESET,	     /* a Software Reset bit did not clear */
	SD_ERR_CLOCK,	     /* Internal Clock Stable never came */
	SD_ERR_BUSY,	     /* Command Inhibit (CMD or DAT) stayed set */
	/* What the card said. */
	SD_ERR_VOLTAGE,	    /* CMD8 answered without echoing the check pattern */
	SD_ERR_POWER_UP,    /* ACMD41 never reported "power up done" within 1 s */
	SD_ERR_NO_RCA,	    /* CMD3 kept giving relative address 0 */
	SD_ERR_UNSUPPORTED, /* CSD structure other than 1.0/2.0 (SDUC, reserved) */
	SD_ERR_CARD_STATUS, /* an error bit in the card status of an R1 response */
	/* What the caller asked. */
	SD_ERR_OUT_OF_RANGE, /* blocks beyond the end of the card */
	/* Added with writes. */
	SD_ERR_PROGRAM_TIMEOUT, /* CMD13 never showed the written data programmed */
	SD_ERR_COUNT,		/* not an error: the number of codes */
};

/* Routes the pins, resets the controller and brings the card to the transfer state. */
int sdhci_init(void);
bool sdhci_ready(void);
uint64_t sdhci_block_count(void);
/* Reads `count` 512-byte blocks from `lba` into buf (any alignment): 0 or a negative error. */
int sdhci_read(uint64_t lba, uint32_t count, void *buf);
/* Writes `count` blocks at `lba` from buf (any alignment); 0 once the card has programmed them. */
int sdhci_write(uint64_t lba, uint32_t count, const void *buf);
/* One line: the card (type, capacity, bus, CID) or why there is none, and the last error. */
void sdhci_describe(char *buf, size_t size);
/* Words for an error, positive or negative ("unknown SD error" for anything else). */
const char *sdhci_strerror(int err);
