#include "core/tick.h"
#include "board/board.h"

static volatile uint64_t ticks;

static void on_tick(void)
{
	ticks++;
}

void tick_start(void)
{
	board_tick_start(1000000 / TICK_HZ, on_tick);
}

uint64_t tick_count(void)
{
	return ticks;
}
