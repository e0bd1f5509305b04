#include "core/images.h"
#include "lib/string.h"

/* Defined by the generated images.S. */
extern const struct image builtin_images[];
extern const uint64_t builtin_image_count;

unsigned int image_count(void)
{
	return (unsigned int)builtin_image_count;
}

const struct image *image_at(unsigned int i)
{
	return i < image_count() ? &builtin_images[i] : NULL;
}

const struct image *image_find(const char *name)
{
	for (unsigned int i = 0; i < image_count(); i++) {
		if (strcmp(builtin_images[i].name, name) == 0)
			return &builtin_images[i];
	}
	return NULL;
}
