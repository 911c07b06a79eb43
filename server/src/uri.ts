import { fileURLToPath, pathToFileURL } from 'node:url';

/** A document URI as a path: file URIs to the file system path, others (untitled:) to their path part. */
export function uriToPath(uri: string): string {
  if (uri.startsWith('file:')) {
    try {
      return fileURLToPath(uri);
    } catch {
      // A malformed file URI still has a usable path part.
    }
  }
  const colon = uri.indexOf(':');
  return decodeURIComponent(colon >= 0 ? uri.slice(colon + 1) : uri);
}

export function pathToUri(path: string): string {
  return pathToFileURL(path).href;
}
