/**
 * How a region serves the site, as both the hosting stack (which builds the API) and the release
 * playbooks (which publish releases and switch stages) must see it.
 *
 * Releases are immutable prefixes `releases/<id>/` of each site bucket; the API's one stage reads
 * the live release from a stage variable; every release holds a `healthz` file that the deep
 * health check fetches.
 */

/** Prefix in each site bucket under which releases live: `releases/<release-id>/...`. */
export const RELEASES_PREFIX = 'releases/';

/** Id of the release the stacks publish from `site/` on first deploy. Later releases come from the playbooks. */
export const BOOTSTRAP_RELEASE = 'bootstrap';

/** The file in each release (and the API resource) that the deep health check reads. */
export const HEALTH_FILE = 'healthz';

/** Path of the deep health check served by each region; Route 53 requests it. */
export const HEALTH_PATH = `/${HEALTH_FILE}`;

/** The one stage of each region's API. */
export const STAGE_NAME = 'live';

/** Name of the stage variable that selects the live release; the release playbooks update it. */
export const RELEASE_STAGE_VARIABLE = 'release';

/** Key prefix of one release in a site bucket: `releases/<id>/`. */
export function releasePrefix(release: string): string {
  return `${RELEASES_PREFIX}${release}/`;
}

/** The `healthz` body of a release: the health checks' search string, then the release id. */
export function healthBody(searchString: string, release: string): string {
  return `${searchString} release=${release}\n`;
}
