export default async function globalTeardown(): Promise<void> {
  await Promise.all((globalThis.edgeplaneTestServices ?? []).map((service) => service.stop()));
  globalThis.edgeplaneTestServices = undefined;
}
