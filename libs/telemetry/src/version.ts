/** The release, as reported in traces (service.version) and the OpenAPI document; kept equal to package.json by a test. */
export const SERVICE_VERSION = '0.1.0';
