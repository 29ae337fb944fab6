"use client";
import { useEffect, useRef } from "react";

/**
 * Focus goes back to `ref` when an inline form (`open`) closes, once React has rendered the element again:
 * a frame callback can run before React commits, and then the focus is lost to the page.
 */
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
