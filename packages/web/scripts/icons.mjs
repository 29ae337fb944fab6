// `npm run icons -w @asyncsns/web`: draws the app icons (manifest, Apple touch, favicon, notification badge)
// from one SVG with sharp. The PNGs and favicon.ico are committed; run this again only when the mark changes.
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import sharp from "sharp";

const publicDir = fileURLToPath(new URL("../public/", import.meta.url));
const iconsDir = `${publicDir}icons/`;

// The header's brand mark: a lowercase "a" (a ring and a stem) on the blue-violet gradient.
const glyph = (scale, fill) => {
  const c = 256;
  const r = 78 * scale;
  const stroke = 44 * scale;
  const ringX = c;
  const stemX = ringX + r;
  const top = c - r - stroke / 2;
  const bottom = c + r + stroke / 2;
  return `<circle cx="${ringX}" cy="${c}" r="${r}" fill="none" stroke="${fill}" stroke-width="${stroke}"/>
  <rect x="${stemX - stroke / 2}" y="${top}" width="${stroke}" height="${bottom - top}" rx="${stroke / 2}" fill="${fill}"/>`;
};

const gradient = `<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
  <stop offset="0" stop-color="#1463e6"/><stop offset="1" stop-color="#7b4dff"/></linearGradient></defs>`;

/** Rounded tile with the glyph: browsers' tabs and "any" purpose icons. */
const tile = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512"><title>asyncsns</title>${gradient}
  <rect width="512" height="512" rx="112" fill="url(#g)"/>${glyph(1, "#fff")}</svg>`;

/** Full bleed with the glyph inside the 80% safe zone: the platform applies its own mask. */
const maskable = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">${gradient}
  <rect width="512" height="512" fill="url(#g)"/>${glyph(0.8, "#fff")}</svg>`;

/** Apple touch icons get no transparency (iOS fills it black) and their own rounding. */
const apple = maskable;

/** Notification badges are drawn by the system from the alpha channel alone: white on transparent. */
const badge = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">${glyph(1.35, "#fff")}</svg>`;

const png = (svg, size) => sharp(Buffer.from(svg)).resize(size, size).png({ compressionLevel: 9 }).toBuffer();

/** An .ico holding PNG images (supported by every browser since IE Vista-era): header, directory, data. */
function ico(images) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map(({ size, data }) => {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size >= 256 ? 0 : size, 0);
    entry.writeUInt8(size >= 256 ? 0 : size, 1);
    entry.writeUInt8(0, 2);
    entry.writeUInt8(0, 3);
    entry.writeUInt16LE(1, 4);
    entry.writeUInt16LE(32, 6);
    entry.writeUInt32LE(data.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += data.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...images.map((i) => i.data)]);
}

mkdirSync(iconsDir, { recursive: true });
const outputs = {
  "icon-192.png": await png(tile, 192),
  "icon-512.png": await png(tile, 512),
  "maskable-192.png": await png(maskable, 192),
  "maskable-512.png": await png(maskable, 512),
  "apple-touch-icon.png": await png(apple, 180),
  "badge-96.png": await png(badge, 96),
};
for (const [name, data] of Object.entries(outputs)) writeFileSync(iconsDir + name, data);
writeFileSync(`${iconsDir}icon.svg`, `${tile}\n`);
const favicon = ico(
  await Promise.all([16, 32, 48].map(async (size) => ({ size, data: await png(tile, size) }))),
);
writeFileSync(`${publicDir}favicon.ico`, favicon);
console.log(`icons: wrote ${Object.keys(outputs).length + 1} icons and favicon.ico under ${publicDir}`);
