#!/usr/bin/env node
'use strict';
// Reads and rewrites the Azure DevOps extension (.vsix, a zip file) with
// Node alone, so that packing and checking it needs neither unzip nor
// python:
//
//   node scripts/vsix.js normalize FILE
//       Rewrites FILE in place so that the same content gives the same
//       bytes: every entry's time from SOURCE_DATE_EPOCH (tfx stamps the
//       current time), entries in a fixed order ([Content_Types].xml first,
//       then by name), fixed attributes, no extra fields or comments. The
//       compressed data is kept as tfx wrote it.
//   node scripts/vsix.js list FILE           "size name" per entry
//   node scripts/vsix.js cat FILE MEMBER     the member's content to stdout
//   node scripts/vsix.js publisher IN OUT PUBLISHER
//       A copy of IN for another Marketplace publisher: the manifest's
//       Publisher, and each task's id replaced by taskId(PUBLISHER, id), a
//       UUIDv5 (name PUBLISHER in the namespace of the original id), so two
//       copies in one organization do not collide; then normalized.
//       SOURCE_DATE_EPOCH defaults to IN's newest entry time.
//   node scripts/vsix.js task-id PUBLISHER ID   prints taskId(PUBLISHER, ID)
//
// Zip files of up to 65535 entries and 4 GiB (no zip64), as tfx writes them.

const crypto = require('crypto');
const fs = require('fs');
const zlib = require('zlib');

function die(msg) {
  process.stderr.write(`vsix: ${msg}\n`);
  process.exit(1);
}

const crcTable = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) {
      c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    }
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) {
    c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** Reads a zip file's entries: name, method, crc, sizes, DOS time, raw data. */
function readZip(buf) {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) {
    die('not a zip file (no end of central directory)');
  }
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || p === 0xffffffff) {
    die('zip64 files are not supported');
  }
  const entries = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) {
      die(`bad central directory entry ${i}`);
    }
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const time = buf.readUInt16LE(p + 12);
    const date = buf.readUInt16LE(p + 14);
    const crc = buf.readUInt32LE(p + 16);
    const csize = buf.readUInt32LE(p + 20);
    const usize = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString(flags & 0x800 ? 'utf8' : 'latin1', p + 46, p + 46 + nameLen);
    if (flags & 0x1) {
      die(`${name} is encrypted`);
    }
    if (buf.readUInt32LE(local) !== 0x04034b50) {
      die(`bad local header for ${name}`);
    }
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    entries.push({ name, flags, method, time, date, crc, csize, usize, data: buf.subarray(start, start + csize) });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** The DOS date and time of a Unix time in seconds, as UTC. */
function dosTime(epoch) {
  const d = new Date(Math.max(epoch, 315532800) * 1000); // not before 1980
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
    date: ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

function fromDosTime(date, time) {
  return Date.UTC((date >> 9) + 1980, ((date >> 5) & 15) - 1, date & 31, time >> 11, (time >> 5) & 63, (time & 31) * 2) / 1000;
}

function order(a, b) {
  const rank = (e) => (e.name === '[Content_Types].xml' ? 0 : 1);
  if (rank(a) !== rank(b)) {
    return rank(a) - rank(b);
  }
  const x = Buffer.from(a.name, 'utf8');
  const y = Buffer.from(b.name, 'utf8');
  return Buffer.compare(x, y);
}

/** Writes entries as a normalized zip file, all stamped with epoch. */
function writeZip(entries, epoch) {
  const { time, date } = dosTime(epoch);
  const seen = new Set();
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const e of [...entries].sort(order)) {
    if (seen.has(e.name)) {
      die(`duplicate entry ${e.name}`);
    }
    seen.add(e.name);
    const name = Buffer.from(e.name, 'utf8');
    const utf8 = /[^\x20-\x7e]/.test(e.name) ? 0x800 : 0;
    const needed = e.method === 8 ? 20 : 10;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(needed, 4);
    local.writeUInt16LE(utf8, 6);
    local.writeUInt16LE(e.method, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(e.crc, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.usize, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // made by: MS-DOS attributes, zip 2.0
    central.writeUInt16LE(needed, 6);
    central.writeUInt16LE(utf8, 8);
    central.writeUInt16LE(e.method, 10);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(date, 14);
    central.writeUInt32LE(e.crc, 16);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(e.usize, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(e.name.endsWith('/') ? 0x10 : 0, 38); // directory attribute
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, e.data);
    centrals.push(central, name);
    offset += 30 + name.length + e.data.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(seen.size, 8);
  eocd.writeUInt16LE(seen.size, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

function content(e) {
  if (e.method === 0) {
    return Buffer.from(e.data);
  }
  if (e.method === 8) {
    return zlib.inflateRawSync(e.data);
  }
  return die(`${e.name}: compression method ${e.method} is not supported`);
}

/** An entry holding data, stored uncompressed. */
function stored(name, data) {
  return { name, method: 0, crc: crc32(data), usize: data.length, data };
}

function sourceDateEpoch(fallback) {
  const v = process.env.SOURCE_DATE_EPOCH;
  if (v === undefined || v === '') {
    if (fallback === undefined) {
      die('SOURCE_DATE_EPOCH is not set (the time every entry gets, in seconds since 1970)');
    }
    return fallback;
  }
  if (!/^\d+$/.test(v)) {
    die(`SOURCE_DATE_EPOCH is '${v}', not a number of seconds`);
  }
  return Number(v);
}

/** UUIDv5 (RFC 9562) of name in the namespace ns. */
function uuidv5(ns, name) {
  const nsBytes = Buffer.from(ns.replace(/-/g, ''), 'hex');
  if (nsBytes.length !== 16) {
    die(`'${ns}' is not a UUID`);
  }
  const h = crypto.createHash('sha1').update(nsBytes).update(Buffer.from(name, 'utf8')).digest().subarray(0, 16);
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

function taskId(publisher, id) {
  return uuidv5(id.toLowerCase(), publisher);
}

// A Marketplace publisher id: letters, digits and hyphens (also . and _,
// which tfx accepts), starting with a letter or digit.
function checkPublisher(p) {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(p || '')) {
    die(`'${p || ''}' is not a Marketplace publisher id (letters, digits and hyphens)`);
  }
}

function forPublisher(entries, publisher) {
  checkPublisher(publisher);
  let manifests = 0;
  let tasks = 0;
  const out = entries.map((e) => {
    if (e.name === 'extension.vsixmanifest') {
      const xml = content(e).toString('utf8');
      const re = /(<Identity\b[^>]*\bPublisher=")([^"]*)(")/;
      if (!re.test(xml)) {
        die('extension.vsixmanifest has no Identity Publisher');
      }
      manifests++;
      return stored(e.name, Buffer.from(xml.replace(re, `$1${publisher}$3`), 'utf8'));
    }
    if (/^[^/]+\/task\.json$/.test(e.name)) {
      const text = content(e).toString('utf8');
      const old = JSON.parse(text).id;
      if (typeof old !== 'string') {
        die(`${e.name} has no id`);
      }
      const quoted = JSON.stringify(old);
      if (text.split(quoted).length !== 2) {
        die(`${e.name}: the id ${old} does not occur exactly once`);
      }
      tasks++;
      return stored(e.name, Buffer.from(text.replace(quoted, JSON.stringify(taskId(publisher, old))), 'utf8'));
    }
    return e;
  });
  if (manifests !== 1 || tasks === 0) {
    die(`expected one extension.vsixmanifest and a task.json, found ${manifests} and ${tasks}`);
  }
  return out;
}

function main(argv) {
  const [cmd, ...args] = argv;
  const read = (f) => readZip(fs.readFileSync(f));
  switch (cmd) {
    case 'normalize': {
      const [file] = args;
      fs.writeFileSync(file, writeZip(read(file), sourceDateEpoch()));
      return;
    }
    case 'list':
      for (const e of read(args[0])) {
        process.stdout.write(`${e.usize} ${e.name}\n`);
      }
      return;
    case 'cat': {
      const e = read(args[0]).find((x) => x.name === args[1]);
      if (!e) {
        die(`${args[0]} has no ${args[1]}`);
      }
      process.stdout.write(content(e));
      return;
    }
    case 'publisher': {
      const [input, output, publisher] = args;
      if (!input || !output) {
        die('usage: vsix.js publisher IN OUT PUBLISHER');
      }
      const entries = read(input);
      const newest = Math.max(...entries.map((e) => fromDosTime(e.date, e.time)));
      fs.writeFileSync(output, writeZip(forPublisher(entries, publisher), sourceDateEpoch(newest)));
      return;
    }
    case 'task-id':
      checkPublisher(args[0]);
      process.stdout.write(`${taskId(args[0], args[1] || '')}\n`);
      return;
    default:
      die('usage: vsix.js normalize FILE | list FILE | cat FILE MEMBER | publisher IN OUT PUBLISHER | task-id PUBLISHER ID');
  }
}

if (require.main === module) {
  main(process.argv.slice(2));
}

module.exports = { readZip, writeZip, uuidv5, taskId, crc32 };
