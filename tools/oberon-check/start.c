/* Reset handler and vector table for the driver on QEMU's mps2-an386 (a Cortex-M4 with FPU):
   copy .data, clear .bss, turn the FPU on (liboberon is hard-float), open semihosting. */
#include <stdint.h>
#include <stdlib.h>

extern int main(void);
extern void initialise_monitor_handles(void);
extern uint32_t _estack, _sidata, _sdata, _edata, _sbss, _ebss;

void _init(void) {}
void _fini(void) {}

void Reset_Handler(void)
{
	uint32_t *from = &_sidata, *to = &_sdata;
	while (to < &_edata)
		*to++ = *from++;
	for (to = &_sbss; to < &_ebss;)
		*to++ = 0;
	*(volatile uint32_t *)0xE000ED88 |= 0xFu << 20; /* CPACR: CP10 and CP11 full access */
	__asm volatile("dsb\n\tisb");
	initialise_monitor_handles();
	exit(main());
}

static void Fault_Handler(void)
{
	exit(99);
}

__attribute__((section(".isr_vector"), used)) void (*const vectors[])(void) = {
	(void (*)(void))&_estack, Reset_Handler, Fault_Handler, Fault_Handler, Fault_Handler, Fault_Handler, Fault_Handler,
};
