#include "core/trap.h"
#include "board/board.h"

void trap_irq(void)
{
	board_handle_irq();
}
