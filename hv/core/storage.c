#include "core/storage.h"
#include "board/board.h"
#include "fs/fat32.h"
#include "lib/printf.h"

#include <stddef.h>

static struct fat32_volume volume;
static bool mounted;
static char error[256] = "SD card not initialised";

int storage_init(void)
{
	int err = board_sd_init();

	mounted = false;
	if (err < 0) {
		fmt_snprintf(error, sizeof(error), "SD card: %s", board_sd_strerror(err));
		return err;
	}
	err = fat32_mount(&volume, board_sd_blockdev());
	if (err < 0) {
		const char *detail = fat32_last_error_detail(&volume);

		fmt_snprintf(error, sizeof(error), "SD card has no usable FAT32 volume: %s",
			     detail[0] ? detail : fat32_strerror(err));
		return err;
	}
	mounted = true;
	return 0;
}

struct fat32_volume *storage_volume(void)
{
	return mounted ? &volume : NULL;
}

void storage_forget(const char *why)
{
	mounted = false;
	fmt_snprintf(error, sizeof(error), "SD card failed (%s); not mounted again yet", why);
}

struct fat32_volume *storage_require(void)
{
	if (!mounted)
		(void)storage_init();
	return storage_volume();
}

const char *storage_error(void)
{
	return error;
}
