// Dependency-free on purpose: infra imports these to filter stream records by key.

/** The ElectroDB service name every entity of the table is declared under. */
export const SERVICE = "asyncsns";
