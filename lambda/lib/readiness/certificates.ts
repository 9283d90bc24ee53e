import {
  type CertificateDetail,
  DescribeCertificateCommand,
  KeyAlgorithm,
  paginateListCertificates,
} from '@aws-sdk/client-acm';
import { CERTIFICATE_MIN_DAYS } from '../../contract/assurance';
import { REGION_ROLES, type RegionRole } from '../../contract/regions';
import { type ReadinessCheck, type ReadinessDeps, result } from './deps';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The certificates of a region's hosting stack: domain name the site's name, with the region's own
 * host name among the subject alternative names. ListCertificates returns RSA_1024 and RSA_2048
 * certificates only unless told otherwise (Includes.keyTypes), so every key type is asked for; it
 * pages with NextToken. When several match (a replaced certificate not yet deleted), those in use
 * (by the API's custom domains) are the ones that matter.
 */
async function certificatesOf(deps: ReadinessDeps, role: RegionRole): Promise<CertificateDetail[]> {
  const d = deps.deployment;
  const arns: string[] = [];
  const pages = paginateListCertificates(
    { client: deps.acm[role] },
    { Includes: { keyTypes: Object.values(KeyAlgorithm) } },
  );
  for await (const page of pages) {
    for (const s of page.CertificateSummaryList ?? []) {
      if (s.DomainName === d.domainName && s.CertificateArn) arns.push(s.CertificateArn);
    }
  }
  const details = await Promise.all(
    arns.map(
      async (arn) => (await deps.acm[role].send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate!,
    ),
  );
  const ours = details.filter((c) => c.SubjectAlternativeNames?.includes(d.regionalHosts[role]));
  const inUse = ours.filter((c) => (c.InUseBy ?? []).length > 0);
  return inUse.length > 0 ? inUse : ours;
}

/**
 * `certificates`: each region's certificate is issued and valid for at least CERTIFICATE_MIN_DAYS
 * more days (DescribeCertificate's NotAfter). ACM renews DNS-validated certificates by itself from
 * 60 days before expiry; one still under 30 days has failed to renew (typically its validation
 * record is gone).
 */
export const certificates: ReadinessCheck = async (deps, now) => {
  const d = deps.deployment;
  const problems: string[] = [];
  const found: Record<string, { arn?: string; status?: string; notAfter?: string; daysLeft?: number }[]> = {};
  for (const role of REGION_ROLES) {
    const certs = await certificatesOf(deps, role);
    if (certs.length === 0) {
      problems.push(`no certificate for ${d.domainName} with ${d.regionalHosts[role]} in ${d.regions[role]}`);
    }
    found[role] = certs.map((c) => {
      const daysLeft = c.NotAfter ? Math.floor((c.NotAfter.getTime() - now.getTime()) / DAY_MS) : undefined;
      if (c.Status !== 'ISSUED') {
        problems.push(`${c.CertificateArn} (${role}) is ${c.Status}, not ISSUED`);
      } else if (daysLeft === undefined || daysLeft < CERTIFICATE_MIN_DAYS) {
        problems.push(
          `${c.CertificateArn} (${role}) expires ${c.NotAfter?.toISOString() ?? 'at an unknown date'}: ${daysLeft ?? '?'} days left, under ${CERTIFICATE_MIN_DAYS}`,
        );
      }
      return { arn: c.CertificateArn, status: c.Status, notAfter: c.NotAfter?.toISOString(), daysLeft };
    });
  }
  if (problems.length > 0) return result('certificates', false, problems.join('; '), found);
  const least = Math.min(...REGION_ROLES.flatMap((r) => found[r].map((c) => c.daysLeft!)));
  return result(
    'certificates',
    true,
    `both regions' certificates are issued; the nearest expiry is in ${least} days`,
    found,
  );
};
