import { DescribeCertificateCommand, KeyAlgorithm, ListCertificatesCommand } from '@aws-sdk/client-acm';
import { certificates } from '../../../lambda/lib/readiness/certificates';
import { certificate, NOW, readyWorld } from './fixtures';

const arn = (role: string) =>
  `arn:aws:acm:${role === 'primary' ? 'us-east-1' : 'us-west-2'}:111111111111:certificate/${role}`;
const host = { primary: 'us-east-1.www.example.com', standby: 'us-west-2.www.example.com' };

describe('certificates', () => {
  test('issued and 90 days left in both regions: ok, every key type asked for', async () => {
    const world = readyWorld();
    const r = await certificates(world.deps, NOW);
    expect(r).toEqual({
      check: 'certificates',
      ok: true,
      summary: "both regions' certificates are issued; the nearest expiry is in 90 days",
      details: {
        primary: [{ arn: arn('primary'), status: 'ISSUED', notAfter: '2027-02-28T06:00:00.000Z', daysLeft: 90 }],
        standby: [{ arn: arn('standby'), status: 'ISSUED', notAfter: '2027-02-28T06:00:00.000Z', daysLeft: 90 }],
      },
    });
    expect(world.mocks.acm.primary.commandCalls(ListCertificatesCommand)[0].args[0].input).toEqual({
      Includes: { keyTypes: Object.values(KeyAlgorithm) },
    });
  });

  test.each([
    [30, true],
    [29, false],
  ])('%i days left: ok is %s (fails under 30 days)', async (days, ok) => {
    const world = readyWorld();
    world.mocks.acm.standby
      .on(DescribeCertificateCommand)
      .resolves({ Certificate: certificate(arn('standby'), host.standby, days) });
    const r = await certificates(world.deps, NOW);
    expect(r.ok).toBe(ok);
    if (!ok) {
      expect(r.summary).toBe(`${arn('standby')} (standby) expires 2026-12-29T06:00:00.000Z: 29 days left, under 30`);
    } else {
      expect(r.summary).toBe("both regions' certificates are issued; the nearest expiry is in 30 days");
    }
  });

  test('a certificate that is not issued fails; one without NotAfter fails', async () => {
    const world = readyWorld();
    world.mocks.acm.primary
      .on(DescribeCertificateCommand)
      .resolves({ Certificate: { ...certificate(arn('primary'), host.primary, 90), Status: 'EXPIRED' } });
    world.mocks.acm.standby
      .on(DescribeCertificateCommand)
      .resolves({ Certificate: { ...certificate(arn('standby'), host.standby, 90), NotAfter: undefined } });
    const r = await certificates(world.deps, NOW);
    expect(r.summary).toBe(
      `${arn('primary')} (primary) is EXPIRED, not ISSUED; ${arn('standby')} (standby) expires at an unknown date: ? days left, under 30`,
    );
  });

  test("reads every page; ignores other domains, other regions' hosts, and unused certificates when one is in use", async () => {
    const world = readyWorld();
    const old = `${arn('primary')}-old`;
    const wrongSan = `${arn('primary')}-san`;
    world.mocks.acm.primary
      .on(ListCertificatesCommand)
      .resolves({
        CertificateSummaryList: [
          { CertificateArn: 'other', DomainName: 'blog.example.com' },
          { CertificateArn: old, DomainName: 'www.example.com' },
        ],
        NextToken: 't',
      })
      .on(ListCertificatesCommand, { NextToken: 't' })
      .resolves({
        CertificateSummaryList: [
          { CertificateArn: wrongSan, DomainName: 'www.example.com' },
          { CertificateArn: arn('primary'), DomainName: 'www.example.com' },
          { DomainName: 'www.example.com' },
        ],
      });
    world.mocks.acm.primary
      .on(DescribeCertificateCommand, { CertificateArn: old })
      .resolves({ Certificate: certificate(old, host.primary, 3, false) })
      .on(DescribeCertificateCommand, { CertificateArn: wrongSan })
      .resolves({ Certificate: certificate(wrongSan, host.standby, 3) });
    const r = await certificates(world.deps, NOW);
    expect(r.ok).toBe(true);
    expect(r.details.primary).toEqual([expect.objectContaining({ arn: arn('primary') })]);
    expect(world.mocks.acm.primary.commandCalls(DescribeCertificateCommand)).toHaveLength(3);
  });

  test('no certificate in use: the unused ones are judged', async () => {
    const world = readyWorld();
    world.mocks.acm.primary
      .on(DescribeCertificateCommand)
      .resolves({ Certificate: certificate(arn('primary'), host.primary, 10, false) });
    const r = await certificates(world.deps, NOW);
    expect(r.summary).toBe(`${arn('primary')} (primary) expires 2026-12-10T06:00:00.000Z: 10 days left, under 30`);
  });

  test('no certificate for the region: fails, naming domain, host and region', async () => {
    const world = readyWorld();
    world.mocks.acm.standby.on(ListCertificatesCommand).resolves({});
    const r = await certificates(world.deps, NOW);
    expect(r).toMatchObject({
      check: 'certificates',
      ok: false,
      summary: 'no certificate for www.example.com with us-west-2.www.example.com in us-west-2',
      details: { standby: [] },
    });
  });
});
