"use client";
import { useEffect, useRef } from "react";

/** Focus returns to `ref` once React has rendered it again: a frame callback may run before the commit. */
export function useReturnFocus<T extends HTMLElement>(open: boolean) {
  const ref = useRef<T>(null);
  const pending = useRef(false);
  useEffect(() => {
    if (open || !pending.current) return;
    pending.current = false;
    ref.current?.focus();
  }, [open]);
  return {
    ref,
    /** Call as the form closes. */
    returnFocus: () => {
      pending.current = true;
    },
  };
}
