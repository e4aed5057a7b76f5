/*
 * lin (the Moddable simulator build): the pace timer (pace-timer.h) without pins. A pulse is due at
 * its time on CLOCK_MONOTONIC and counts as emitted once that time has passed, whenever JavaScript
 * next looks (count, cancel, arm); the runaway guard is the boards' one. It keeps the lin build
 * pacing with the same code path as the boards; the pulses show as VP/AP markers in the log.
 */
#if !defined(nrf52) && !defined(ESP32)

#include "pace-timer.h"
#include <time.h>

typedef struct {
	uint8_t pending;
	uint8_t has_last;
	uint64_t at_us;
	uint64_t last_us;
	uint32_t count;
} pace_channel;

static pace_channel gChannels[2];
static uint8_t gOpen;

static uint64_t now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000u + (uint64_t)t.tv_nsec / 1000u;
}

/* The pulse of `c` went out if its time has come. */
static void settle(pace_channel *c)
{
	if (!c->pending || now_us() < c->at_us)
		return;
	c->pending = 0;
	c->has_last = 1;
	c->last_us = c->at_us;
	c->count++;
}

int32_t implant_pace_open(uint32_t pin_a, uint32_t pin_v, uint32_t active_low)
{
	(void)active_low;
	if (pin_a == pin_v)
		return IMPLANT_PACE_BAD_ARGUMENT;
	for (int i = 0; i < 2; i++) {
		settle(&gChannels[i]);
		gChannels[i].pending = 0;
	}
	gOpen = 1;
	return IMPLANT_PACE_OK;
}

int32_t implant_pace_arm(uint32_t chamber, uint32_t delay_ms, uint32_t width_us)
{
	int32_t checked = implant_pace_check_arm(gOpen, chamber, delay_ms, width_us);
	if (checked != IMPLANT_PACE_OK)
		return checked;
	pace_channel *c = &gChannels[chamber];
	settle(c);
	uint64_t at = now_us() + (uint64_t)delay_ms * 1000u;
	if (c->has_last && at - c->last_us < IMPLANT_PACE_RUNAWAY_US)
		return IMPLANT_PACE_REFUSED;
	c->at_us = at;
	c->pending = 1;
	return IMPLANT_PACE_OK;
}

int32_t implant_pace_cancel(uint32_t chamber)
{
	int32_t checked = implant_pace_check_chamber(gOpen, chamber);
	if (checked != IMPLANT_PACE_OK)
		return checked;
	pace_channel *c = &gChannels[chamber];
	settle(c);
	int32_t was = c->pending;
	c->pending = 0;
	return was;
}

uint32_t implant_pace_count(uint32_t chamber)
{
	if (chamber > 1)
		return 0;
	settle(&gChannels[chamber]);
	return gChannels[chamber].count;
}

#endif
