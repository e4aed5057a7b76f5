// The simulated air between the "bleserver" host shim and a simulated central, with the behaviour
// of the SDK's ESP32 (NimBLE) and nRF52 ports that our firmware depends on:
// - services come from bleservices JSON (the build step bles2gatt does this on the device);
// - onReady fires on a later turn, then services deploy; nothing works before it;
// - advertising is connectable only when flags has a discoverable bit (the default 0x04 is not);
// - one connection at a time; connecting stops advertising; WHITELIST_CONNECTIONS filters centrals;
// - the central negotiates the MTU (23..517, capped by the port: NimBLE 256, nRF52 247);
// - writes over MTU-3 or maxBytes, to a characteristic without the property, or to an encrypted
//   one on a plain link fail with an ATT error the server never sees;
// - notifications are cut to MTU-3 bytes (counted in `truncatedNotifications`);
// - disconnects reach both sides on a later turn;
// - with privacy on (the stack's setting, made through mc/ffi's implant_ble_privacy), the
//   advertiser's address is a resolvable private address from the IRK, a new one every rotation
//   period on the virtual clock; the identity address (localAddress) is never on the air then.
//   The SoftDevice (nRF52) takes the setting at once and renews the address in place. NimBLE
//   (ESP32) takes it when its host syncs with the controller, on the turn of onReady but before
//   the SDK's ready event infers the own address type (random if a random address is set, else
//   public: ble_hs_id_infer_auto(0, ...)); its renewal timer sets a new random address and stops
//   advertising (ble_gap_preempt), which nobody is told of. Both stacks hold the IRK least
//   significant octet first, as the native files hand it over.
// Other advertisers (bystanders: phones, other implants) can be put on the air for scans.
import type { TimerHandle } from '../../modules/core/clock.js';
import { makeResolvableAddress } from '../../programmer/private-address.js';
import { Prng } from '../lib/prng.js';
import { hostPlatform, hostTime } from '../shims/host-control.js';
import { Bytes, typedValueToBuffer } from '../shims/btutils.js';
import GAP from '../shims/gap.js';

export interface CharacteristicJson {
  uuid: string;
  maxBytes?: number;
  type?: string;
  properties: string;
  permissions?: string;
  value?: unknown;
}

export interface ServiceJson {
  service: { uuid: string; characteristics: Record<string, CharacteristicJson> };
}

export interface Characteristic {
  readonly name: string;
  readonly uuid: string;
  readonly serviceUuid: string;
  readonly handle: number;
  readonly type: string | undefined;
  readonly properties: readonly string[];
  readonly permissions: readonly string[];
  readonly maxBytes: number;
  readonly staticValue: ArrayBuffer | undefined;
}

/** What the radio needs from the server shim: the SDK's event dispatch. */
export interface ServerPort {
  dispatch(event: string, params: Record<string, unknown>): unknown;
}

export class AttError extends Error {
  constructor(readonly code: 'write-not-permitted' | 'read-not-permitted' | 'invalid-attribute-length' | 'insufficient-encryption' | 'attribute-not-found' | 'not-connected') {
    super(`ATT error: ${code}`);
    this.name = 'AttError';
  }
}

export interface Advertising {
  readonly connectable: boolean;
  readonly flags: number;
  readonly data: Uint8Array;
  readonly scanResponse: Uint8Array | undefined;
  readonly interval: { min: number; max: number };
  readonly filterPolicy: number;
}

export interface SecurityParameters {
  encryption: boolean;
  bonding: boolean;
  mitm: boolean;
  ioCapability: number;
}

interface WhitelistEntry {
  address: Uint8Array;
  addressType: number;
}

/** Another device on the air: what a scan shows of it. */
export interface Bystander {
  readonly address: Uint8Array;
  readonly advertising: Advertising;
}

/** The SoftDevice's address privacy: the IRK (the stack's order), the renewal period, and the current address with the period it belongs to. */
interface PrivacyModel {
  readonly irk: Uint8Array;
  readonly periodMs: number;
  readonly since: number;
  period: number;
  address: Uint8Array;
}

const sameAddress = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** An RPA as both stacks make it: their IRK is least significant octet first, ah's key most significant first. */
const stackRpa = (stackIrk: Uint8Array, prand: Uint8Array) => makeResolvableAddress(stackIrk.slice().reverse(), prand);

export class BleRadio {
  server: ServerPort | undefined;
  ready = false;
  deviceName = '';
  localAddress = Uint8Array.of(0x66, 0x55, 0x44, 0x33, 0x22, 0x11);
  advertising: Advertising | undefined;
  security: SecurityParameters | undefined;
  /** The board's BLE stack under Moddable: what the privacy call can do (host/shims/mc/ffi.ts). */
  stack: 'softdevice' | 'nimble' = hostPlatform() === 'nrf52' ? 'softdevice' : 'nimble';
  /** Largest MTU the peripheral's stack accepts; tests may raise it to 517. */
  maxMtu = hostPlatform() === 'nrf52' ? 247 : 256;
  truncatedNotifications = 0;
  readonly characteristics: Characteristic[] = [];
  readonly whitelist: WhitelistEntry[] = [];
  readonly bonds: WhitelistEntry[] = [];
  private pendingServices: ServiceJson[] = [];
  central: SimulatedCentral | undefined;
  private connectionIds = 0;
  private privacy: PrivacyModel | undefined;
  /** The stack's random source for prand (seeded: a run is reproducible). */
  private readonly prand = new Prng(0x4a7d);
  readonly bystanders: Bystander[] = [];
  /** The native privacy result privacy-*.c keeps for implant_ble_privacy_state (privacy.h; 3: none yet). */
  privacyResult = 3;
  /** The stack can take commands: the SoftDevice from the server's initialize, NimBLE once its host synced with the controller. */
  synced = false;
  private syncHooks: (() => void)[] = [];
  /** NimBLE: the controller's random address (an RPA with host privacy on) and the own address type the SDK's server took at its ready event. */
  randomAddress: Uint8Array | undefined;
  ownAddressType: 'public' | 'random' = 'public';
  /** A stack error code (positive) the next privacy setting fails with, for tests of a refusal; the native call returns its negation. */
  privacyRefusal: number | undefined;
  /** NimBLE: times the host stopped advertising by itself (each address renewal while advertising). */
  advertisingStops = 0;
  /** NimBLE: the virtual time the host last made a new random address (its renewal timer runs from there). */
  renewedAt: number | undefined;
  private renewal: TimerHandle | undefined;

  /** The SoftDevice's privacy setting (sd_ble_gap_privacy_set): RPAs from `stackIrk`, renewed every `periodS`. */
  setPrivacy(stackIrk: Uint8Array, periodS: number): void {
    if (this.advertising) throw new Error('BLE privacy: cannot change while advertising (NRF_ERROR_INVALID_STATE)');
    const now = hostTime().clock.now();
    this.privacy = { irk: stackIrk.slice(), periodMs: periodS * 1000, since: now, period: 0, address: stackRpa(stackIrk, this.prand.bytes(3)) };
  }

  /** Runs `hook` once the stack is synced: now if it is, else at the sync (NimBLE's sync callback, which runs before the SDK's). */
  whenSynced(hook: () => void): void {
    if (this.synced) hook();
    else this.syncHooks.push(hook);
  }

  /**
   * NimBLE host privacy (ble_hs_pvcy_set_our_irk, ble_hs_set_rpa_timeout, ble_hs_pvcy_rpa_config):
   * the random address becomes an RPA from `stackIrk` now and a new one every `periodS`; each
   * renewal stops advertising (ble_gap_preempt in ble_hs_resolv_rpa_timer_cb).
   */
  setHostPrivacy(stackIrk: Uint8Array, periodS: number): void {
    const clock = hostTime().clock;
    const irk = stackIrk.slice();
    const renew = (preempt: boolean) => {
      if (preempt && this.advertising) {
        this.advertising = undefined;
        this.advertisingStops++;
      }
      this.randomAddress = stackRpa(irk, this.prand.bytes(3));
      this.renewedAt = clock.now();
      this.renewal = clock.setTimeout(() => renew(true), periodS * 1000);
    };
    clock.clearTimeout(this.renewal);
    renew(false);
  }

  /** The address the advertiser uses on the air now: the current RPA with privacy on, else the identity address. */
  airAddress(): Uint8Array {
    if (this.stack === 'nimble') return (this.ownAddressType === 'random' && this.randomAddress ? this.randomAddress : this.localAddress).slice();
    const p = this.privacy;
    if (!p) return this.localAddress.slice();
    const period = Math.floor((hostTime().clock.now() - p.since) / p.periodMs);
    if (period !== p.period) {
      p.period = period;
      p.address = stackRpa(p.irk, this.prand.bytes(3));
    }
    return p.address.slice();
  }

  /** The build step: the firmware's bleservices/*.json. */
  installServices(services: ServiceJson[]): void {
    this.pendingServices = services;
  }

  attach(server: ServerPort, deployServices: boolean): void {
    if (this.server) throw new Error('BLEServer: already initialized');
    this.server = server;
    this.syncHooks = []; // Moddable's NimBLE initialize sets ble_hs_cfg.sync_cb to its own again
    if (this.stack === 'softdevice') this.synced = true; // Moddable's nrf52 initialize enables the SoftDevice synchronously
    hostTime().clock.setTimeout(() => {
      if (this.server !== server) return;
      this.sync();
      this.ownAddressType = this.randomAddress ? 'random' : 'public'; // NimBLE's readyEvent: ble_hs_id_infer_auto(0, ...)
      this.ready = true;
      server.dispatch('onReady', {});
      if (deployServices) this.deploy();
    }, 0);
  }

  /** The stack syncs (NimBLE's host with its controller): the sync callbacks run, ours first. */
  private sync(): void {
    this.synced = true;
    for (const hook of this.syncHooks.splice(0)) hook();
  }

  detach(server: ServerPort): void {
    if (this.server !== server) return;
    if (this.central) this.central.dropLink();
    this.server = undefined;
    this.ready = false;
    this.advertising = undefined;
    if (this.stack === 'nimble') {
      // modBLEPlatformTerminate: nimble_port_deinit; the next initialize syncs afresh.
      hostTime().clock.clearTimeout(this.renewal);
      this.synced = false;
      this.randomAddress = undefined;
      this.renewedAt = undefined;
      this.ownAddressType = 'public';
    }
  }

  private deploy(): void {
    let handle = 1;
    for (const { service } of this.pendingServices) {
      handle++; // the service declaration
      for (const [name, c] of Object.entries(service.characteristics)) {
        handle++; // the characteristic declaration
        this.characteristics.push(Object.freeze({
          name,
          uuid: c.uuid.toUpperCase(),
          serviceUuid: service.uuid.toUpperCase(),
          handle: handle++,
          type: c.type,
          properties: c.properties.split(',').map((p) => p.trim()),
          permissions: (c.permissions ?? '').split(',').map((p) => p.trim()).filter(Boolean),
          maxBytes: c.maxBytes ?? 20,
          staticValue: c.value === undefined ? undefined : typedValueToBuffer(c.type, c.value),
        }));
        if (/notify|indicate/.test(c.properties)) handle++; // the CCCD
      }
    }
  }

  requireReady(): void {
    if (!this.ready) throw new Error('BLE: not ready (wait for onReady)');
  }

  characteristic(uuidOrHandle: string | number): Characteristic {
    const c = this.characteristics.find((x) => (typeof uuidOrHandle === 'number' ? x.handle === uuidOrHandle : x.uuid === uuidOrHandle.toUpperCase()));
    if (!c) throw new AttError('attribute-not-found');
    return c;
  }

  startAdvertising(advertising: Advertising): void {
    this.requireReady();
    this.advertising = advertising;
  }

  stopAdvertising(): void {
    this.advertising = undefined;
  }

  whitelistAdd(entry: WhitelistEntry): void {
    if (!this.whitelist.some((e) => sameAddress(e.address, entry.address) && e.addressType === entry.addressType)) this.whitelist.push(entry);
  }

  whitelistRemove(entry: WhitelistEntry): void {
    const i = this.whitelist.findIndex((e) => sameAddress(e.address, entry.address) && e.addressType === entry.addressType);
    if (i >= 0) this.whitelist.splice(i, 1);
  }

  whitelistClear(): void {
    this.whitelist.length = 0;
  }

  deleteBond(address: ArrayBuffer, addressType: number): void {
    const bytes = new Uint8Array(address);
    const i = this.bonds.findIndex((e) => sameAddress(e.address, bytes) && e.addressType === addressType);
    if (i >= 0) this.bonds.splice(i, 1);
  }

  deleteAllBonds(): void {
    this.bonds.length = 0;
  }

  /** A central asks to connect; the peripheral must be advertising connectably and pass the filter. */
  accept(central: SimulatedCentral): number {
    const adv = this.advertising;
    if (!this.server || !adv || !adv.connectable) throw new Error('BLE central: no connectable advertiser');
    if (this.central) throw new Error('BLE central: peripheral already connected (max_connections 1)');
    const filtered = adv.filterPolicy === GAP.AdvFilterPolicy.WHITELIST_CONNECTIONS || adv.filterPolicy === GAP.AdvFilterPolicy.WHITELIST_SCANS_CONNECTIONS;
    if (filtered && !this.whitelist.some((e) => sameAddress(e.address, central.address) && e.addressType === central.addressType)) {
      throw new Error('BLE central: connection filtered by the accept list');
    }
    this.advertising = undefined;
    this.central = central;
    const connection = ++this.connectionIds;
    this.server.dispatch('onConnected', { address: central.address.slice().buffer, addressType: central.addressType, connection });
    return connection;
  }

  /** Notification from the server to the connected central. */
  notify(handle: number, value: ArrayBuffer): void {
    const central = this.central;
    if (!central) return;
    const c = this.characteristic(handle);
    let bytes = new Uint8Array(value).slice();
    if (bytes.length > central.mtu - 3) {
      this.truncatedNotifications++;
      bytes = bytes.slice(0, central.mtu - 3);
    }
    central.receiveNotification(c, bytes);
  }

  /** Either side ends the link; both learn it on a later turn. */
  disconnect(): void {
    const central = this.central;
    if (!central) return;
    hostTime().clock.setTimeout(() => central.dropLink(), 0);
  }

  linkDropped(central: SimulatedCentral, connection: number): void {
    if (this.central !== central) return;
    this.central = undefined;
    this.server?.dispatch('onDisconnected', { address: central.address.slice().buffer, connection });
  }
}

let radio: BleRadio | undefined;

/** The radio the shims use; created on first use after resetBleRadio(). */
export function bleRadio(): BleRadio {
  radio ??= new BleRadio();
  return radio;
}

/** Fresh air for each test (call after selecting the host clock). */
export function resetBleRadio(): BleRadio {
  radio = new BleRadio();
  return radio;
}

export interface Notification {
  readonly uuid: string;
  readonly value: Uint8Array;
}

/** A phone or programmer: connects, negotiates the MTU, subscribes, writes and reads. */
export class SimulatedCentral {
  readonly address: Uint8Array;
  readonly addressType: number;
  mtu = 23;
  encrypted = false;
  connected = false;
  private connection = 0;
  private readonly subscribed = new Set<number>();
  readonly notifications: Notification[] = [];
  onNotification: ((n: Notification) => void) | undefined;
  onDisconnected: (() => void) | undefined;

  constructor(private readonly radio: BleRadio, options: { address?: Uint8Array; addressType?: number } = {}) {
    this.address = options.address ?? Uint8Array.of(0x01, 0x02, 0x03, 0x04, 0x05, 0xc6);
    this.addressType = options.addressType ?? GAP.AddressType.RANDOM;
  }

  /** What a scanner sees of the simulated peripheral: the advertising and scan response bytes, and its address on the air. */
  scan(): { address: Uint8Array; advertising: Advertising } | undefined {
    const adv = this.radio.advertising;
    return adv && { address: this.radio.airAddress(), advertising: adv };
  }

  /** Every advertiser in range: the bystanders and the simulated peripheral, in the order a scan reports them. */
  scanAll(): Bystander[] {
    const own = this.scan();
    return [...this.radio.bystanders, ...(own ? [own] : [])];
  }

  /** Connects to the advertiser at `address` if it is the simulated peripheral (bystanders do not accept connections here). */
  connectTo(address: Uint8Array): void {
    const own = this.scan();
    if (!own || !sameAddress(own.address, address)) throw new Error('BLE central: no connectable advertiser at that address');
    this.connect();
  }

  connect(): void {
    this.connection = this.radio.accept(this);
    this.connected = true;
  }

  /** ATT Exchange MTU: the result is min(client, server), at least 23. */
  exchangeMtu(clientMtu: number): number {
    this.requireConnected();
    if (!Number.isInteger(clientMtu) || clientMtu < 23 || clientMtu > 517) throw new RangeError('ATT MTU must be 23..517');
    this.mtu = Math.max(23, Math.min(clientMtu, this.radio.maxMtu));
    this.radio.server?.dispatch('onMTUExchanged', { mtu: this.mtu } as Record<string, unknown>);
    return this.mtu;
  }

  /** Link-layer pairing as the peripheral's security parameters allow (Just Works on an implant). */
  pair(): void {
    this.requireConnected();
    const security = this.radio.security;
    if (!security?.encryption) return;
    this.encrypted = true;
    if (security.bonding) this.radio.bonds.push({ address: this.address.slice(), addressType: this.addressType });
    this.radio.server?.dispatch('onAuthenticated', { bonded: security.bonding });
  }

  enableNotifications(uuid: string): void {
    this.requireConnected();
    const c = this.radio.characteristic(uuid);
    if (!c.properties.includes('notify') && !c.properties.includes('indicate')) throw new AttError('write-not-permitted');
    this.subscribed.add(c.handle);
    this.radio.server?.dispatch('onCharacteristicNotifyEnabled', this.raw(c, true));
  }

  disableNotifications(uuid: string): void {
    const c = this.radio.characteristic(uuid);
    this.subscribed.delete(c.handle);
    this.radio.server?.dispatch('onCharacteristicNotifyDisabled', this.raw(c, false));
  }

  write(uuid: string, value: Uint8Array, options: { withoutResponse?: boolean } = {}): void {
    this.requireConnected();
    const c = this.radio.characteristic(uuid);
    if (!c.properties.includes(options.withoutResponse ? 'writeNoResponse' : 'write')) throw new AttError('write-not-permitted');
    if (c.permissions.includes('writeEncrypted') && !this.encrypted) throw new AttError('insufficient-encryption');
    if (value.length > this.mtu - 3 || value.length > c.maxBytes) throw new AttError('invalid-attribute-length');
    this.radio.server?.dispatch('onCharacteristicWritten', {
      uuid: hexToBytes(c.uuid), handle: c.handle, name: c.name, type: c.type, value: value.slice().buffer,
    });
  }

  read(uuid: string): Uint8Array {
    this.requireConnected();
    const c = this.radio.characteristic(uuid);
    if (!c.properties.includes('read')) throw new AttError('read-not-permitted');
    if (c.permissions.includes('readEncrypted') && !this.encrypted) throw new AttError('insufficient-encryption');
    if (c.staticValue) return new Uint8Array(c.staticValue).slice();
    const value = this.radio.server?.dispatch('onCharacteristicRead', { uuid: hexToBytes(c.uuid), handle: c.handle, name: c.name, type: c.type });
    return new Uint8Array((value as ArrayBuffer).slice(0, c.maxBytes));
  }

  disconnect(): void {
    if (!this.connected) return;
    this.connected = false;
    this.radio.linkDropped(this, this.connection);
    this.onDisconnected?.();
  }

  /** Called by the radio when the peripheral ends the link or goes away. */
  dropLink(): void {
    this.disconnect();
  }

  receiveNotification(c: Characteristic, value: Uint8Array): void {
    if (!this.subscribed.has(c.handle)) return;
    const n = { uuid: c.uuid, value };
    this.notifications.push(n);
    this.onNotification?.(n);
  }

  private raw(c: Characteristic, notify: boolean): Record<string, unknown> {
    return { uuid: hexToBytes(c.uuid), handle: c.handle, name: c.name, type: c.type, notify };
  }

  private requireConnected(): void {
    if (!this.connected) throw new AttError('not-connected');
  }
}

/** A UUID string as the stack passes it: little-endian bytes in an ArrayBuffer. */
function hexToBytes(uuid: string): ArrayBuffer {
  return new Uint8Array(new Bytes(uuid.replaceAll('-', ''), true)).slice().buffer;
}
