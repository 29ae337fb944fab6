/** `{"numeric": [">", 0, "<=", 5]}`: every operator/bound pair must hold (SNS policies and Lambda patterns alike). */
export function inNumericRange(n: number, spec: unknown[]): boolean {
  for (let i = 0; i < spec.length; i += 2) {
    const bound = Number(spec[i + 1]);
    switch (spec[i]) {
      case "=":
        if (n !== bound) return false;
        break;
      case "<":
        if (!(n < bound)) return false;
        break;
      case "<=":
        if (!(n <= bound)) return false;
        break;
      case ">":
        if (!(n > bound)) return false;
        break;
      case ">=":
        if (!(n >= bound)) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}
