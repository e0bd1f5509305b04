/*
 * User image loader.
 */
#include "lrtos/image.h"

#include "lib/string.h"
#include "lrtos/abi.h"
#include "lrtos/log.h"
#include "lrtos/page.h"

#include <stdbool.h>

static bool page_aligned(uint64_t addr)
{
	return (addr & (PAGE_SIZE - 1)) == 0;
}

static bool header_valid(const struct user_image_header *h, size_t size)
{
	if (size < sizeof(*h) || h->magic != USER_IMAGE_MAGIC || h->version != USER_IMAGE_VERSION)
		return false;
	if (h->base != USER_BASE || !page_aligned(h->text_end) || !page_aligned(h->bss_end))
		return false;
	if (!(h->base < h->text_end && h->text_end <= h->data_end && h->data_end <= h->bss_end))
		return false;
	if (h->bss_end > USER_STACK_TOP - USER_STACK_SIZE)
		return false; /* image and stack would overlap */
	return h->entry >= h->base && h->entry < h->text_end;
}

/* One page of the image at va: the file's bytes, zeros past the end of the file. */
static int load_page(struct addrspace *as, const uint8_t *image, size_t size, uint64_t va,
		     enum user_perm perm)
{
	size_t offset = va - USER_BASE;
	uint8_t *page = page_alloc();
	int err;

	if (!page)
		return -ENOMEM;
	if (offset < size)
		memcpy(page, image + offset, size - offset < PAGE_SIZE ? size - offset : PAGE_SIZE);
	if (perm == USER_RX)
		sync_icache(page, PAGE_SIZE);
	err = as_map(as, va, page, perm);
	if (err)
		page_free(page);
	return err;
}

int image_load(struct addrspace *as, const void *image, size_t size, uint64_t *entry)
{
	const struct user_image_header *h = image;
	int err = 0;

	if (!header_valid(h, size)) {
		klog("user image: bad header");
		return -ENOEXEC;
	}
	for (uint64_t va = h->base; va < h->bss_end && !err; va += PAGE_SIZE)
		err = load_page(as, image, size, va, va < h->text_end ? USER_RX : USER_RW);
	for (uint64_t va = USER_STACK_TOP - USER_STACK_SIZE; va < USER_STACK_TOP && !err;
	     va += PAGE_SIZE)
		err = load_page(as, image, 0, va, USER_RW);
	*entry = h->entry;
	return err;
}
