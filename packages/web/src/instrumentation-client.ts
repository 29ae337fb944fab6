// Zod probes `new Function` when it builds an object schema; the CSP has no 'unsafe-eval', so the probe would be reported.
import { config } from "zod";

config({ jitless: true });
