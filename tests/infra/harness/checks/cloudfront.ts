// Edge posture: TLS floor, HTTPS-only behaviors and security headers on every distribution.
import { type InfraGraph, T } from "../graph";
import { type Problem, problem, s } from "./shared";

/** Security policies CloudFront offers that refuse TLS below 1.2 and weak ciphers (2021 and later). */
export const MODERN_TLS_POLICIES = ["TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"];

/** AWS fixes the TLS policy of the default *.cloudfront.net certificate, so the floor is for custom domains. */
export function checkCloudFront(graph: InfraGraph): Problem[] {
  const out: Problem[] = [];
  for (const d of graph.findAll(T.distribution)) {
    const cert = (d.inputs.viewerCertificate ?? {}) as Record<string, unknown>;
    if (cert.acmCertificateArn || cert.iamCertificateId) {
      if (!MODERN_TLS_POLICIES.includes(String(cert.minimumProtocolVersion)))
        out.push(
          problem(
            "cloudfront",
            d.name,
            `${d.name} accepts viewers on ${s(cert.minimumProtocolVersion ?? "TLSv1")}, not ${MODERN_TLS_POLICIES.join(" or ")}`,
          ),
        );
    } else if (cert.cloudfrontDefaultCertificate !== true)
      out.push(problem("cloudfront", d.name, `${d.name} has no viewer certificate`));
    const behaviors = [
      d.inputs.defaultCacheBehavior as Record<string, unknown>,
      ...((d.inputs.orderedCacheBehaviors as Record<string, unknown>[] | undefined) ?? []),
    ];
    for (const [index, b] of behaviors.entries()) {
      const where = index === 0 ? "default behavior" : `behavior ${s(b.pathPattern)}`;
      if (b.viewerProtocolPolicy !== "redirect-to-https" && b.viewerProtocolPolicy !== "https-only")
        out.push(problem("cloudfront", d.name, `${d.name} ${where} allows ${s(b.viewerProtocolPolicy)}`));
      const policy = graph.resources.find(
        (r) => r.type === T.responseHeadersPolicy && r.id === b.responseHeadersPolicyId,
      );
      if (!policy) {
        out.push(problem("cloudfront", d.name, `${d.name} ${where} has no response headers policy`));
        continue;
      }
      const h = (policy.inputs.securityHeadersConfig ?? {}) as Record<
        string,
        Record<string, unknown> | undefined
      >;
      if (Number(h.strictTransportSecurity?.accessControlMaxAgeSec ?? 0) < 31536000)
        out.push(problem("cloudfront", d.name, `${policy.name} has no HSTS of at least one year`));
      const csp = String(h.contentSecurityPolicy?.contentSecurityPolicy ?? "");
      for (const directive of ["default-src", "frame-ancestors", "object-src 'none'"])
        if (!csp.includes(directive))
          out.push(problem("cloudfront", d.name, `${policy.name} CSP lacks ${directive}`));
      if (!h.contentTypeOptions)
        out.push(problem("cloudfront", d.name, `${policy.name} does not send nosniff`));
      if (!["DENY", "SAMEORIGIN"].includes(String(h.frameOptions?.frameOption)))
        out.push(problem("cloudfront", d.name, `${policy.name} sends no X-Frame-Options`));
    }
  }
  return out;
}
