"use client";
import { decode } from "blurhash";
import { useEffect, useRef } from "react";

const SIZE = 32;

/** A blurred preview painted from the server's blurhash, shown until the real image has loaded. */
export function BlurhashCanvas({ hash, className }: { hash: string; className?: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext("2d");
    if (!ctx) return;
    try {
      const image = ctx.createImageData(SIZE, SIZE);
      image.data.set(decode(hash, SIZE, SIZE));
      ctx.putImageData(image, 0, 0);
    } catch {
      // A malformed hash leaves the plain placeholder colour.
    }
  }, [hash]);
  return (
    <canvas
      ref={ref}
      width={SIZE}
      height={SIZE}
      data-blurhash={hash}
      className={className ? `blurhash ${className}` : "blurhash"}
    />
  );
}
