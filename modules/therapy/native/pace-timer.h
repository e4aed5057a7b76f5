/*
 * The pace timer's native side (modules/therapy/device-pace-timer.ts, manifest "ffi"; docs/therapy.md,
 * "The pace timer"). Chamber 0 is the atrium, 1 the ventricle. Once armed, a pulse goes out at its
 * time without the CPU (or, on ESP32, from an interrupt that runs while the flash cache is off),
 * and JavaScript learns of it by reading the chamber's pulse count. No call goes from C into
 * JavaScript.
 */
#ifndef IMPLANT_PACE_TIMER_H
#define IMPLANT_PACE_TIMER_H

#include <stdint.h>

#define IMPLANT_PACE_OK 0
/* The runaway guard refused the pulse: closer than IMPLANT_PACE_RUNAWAY_US to the chamber's last. */
#define IMPLANT_PACE_REFUSED (-1)
#define IMPLANT_PACE_BAD_ARGUMENT (-2)
#define IMPLANT_PACE_NOT_OPEN (-3)
#define IMPLANT_PACE_HARDWARE (-4)

/* 205 ppm: ceil(60000 / 205) ms, as RUNAWAY_MIN_INTERVAL_MS in modules/therapy/intervals.ts. */
#define IMPLANT_PACE_RUNAWAY_US 293000u
/* Arms further ahead than this, or pulses longer than this, are refused as bad arguments. */
#define IMPLANT_PACE_MAX_DELAY_MS 60000u
#define IMPLANT_PACE_MAX_WIDTH_US 20000u

/* The argument checks every board's implant_pace_arm makes first: IMPLANT_PACE_OK or why not. */
static inline int32_t implant_pace_check_arm(int open, uint32_t chamber, uint32_t delay_ms, uint32_t width_us)
{
	if (!open)
		return IMPLANT_PACE_NOT_OPEN;
	if (chamber > 1 || delay_ms > IMPLANT_PACE_MAX_DELAY_MS || width_us == 0 || width_us > IMPLANT_PACE_MAX_WIDTH_US)
		return IMPLANT_PACE_BAD_ARGUMENT;
	return IMPLANT_PACE_OK;
}

/* The same for implant_pace_cancel. */
static inline int32_t implant_pace_check_chamber(int open, uint32_t chamber)
{
	if (!open)
		return IMPLANT_PACE_NOT_OPEN;
	return chamber > 1 ? IMPLANT_PACE_BAD_ARGUMENT : IMPLANT_PACE_OK;
}

/* Claims both pace pins at their idle level and disarms both chambers; pulse counts go on. */
int32_t implant_pace_open(uint32_t pin_a, uint32_t pin_v, uint32_t active_low);
/* Arms the chamber's next pulse `delay_ms` from now (0: at once) for `width_us`, replacing a pending one. */
int32_t implant_pace_arm(uint32_t chamber, uint32_t delay_ms, uint32_t width_us);
/* 1 when it disarmed a pending pulse, 0 when none was pending (already out, or never armed). */
int32_t implant_pace_cancel(uint32_t chamber);
/* Pulses emitted in the chamber since power-on, modulo 2^32. */
uint32_t implant_pace_count(uint32_t chamber);

#endif
