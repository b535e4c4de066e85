/**
 * A small multipart/form-data reader (RFC 7578) for the consumer page's forms, so a plain HTML form
 * can send a photo without a new dependency: the whole body is in memory already (the route's body
 * limit bounds it), text fields are UTF-8, a file field keeps its bytes. Pure.
 */

export interface FormFile {
  readonly fileName: string;
  readonly contentType: string | null;
  readonly bytes: Buffer;
}

export interface FormData {
  readonly fields: Readonly<Record<string, string>>;
  readonly files: Readonly<Record<string, FormFile>>;
}

/** The boundary of a multipart content type, or null. */
export function boundaryOf(contentType: string | undefined): string | null {
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType ?? '');
  return m ? (m[1] ?? m[2] ?? null) : null;
}

function param(header: string, name: string): string | null {
  const m = new RegExp(`;\\s*${name}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(header) ?? new RegExp(`;\\s*${name}=([^;\\s]+)`, 'i').exec(header);
  return m ? (m[1] as string).replace(/\\(.)/g, '$1') : null;
}

/**
 * Split a multipart body into its fields and files (the first of each name wins; a file input left
 * empty is no file). Returns null when the body is not well-formed multipart.
 * @example readMultipart(body, 'XyZ') // { fields: { text: '…' }, files: { photo: { fileName: 'a.jpg', bytes } } }
 */
export function readMultipart(body: Buffer, boundary: string): FormData | null {
  const delimiter = Buffer.from(`--${boundary}`);
  const fields: Record<string, string> = {};
  const files: Record<string, FormFile> = {};
  let at = body.indexOf(delimiter);
  if (at < 0) return null;
  for (;;) {
    at += delimiter.length;
    if (body[at] === 0x2d && body[at + 1] === 0x2d) return { fields, files };
    if (body[at] === 0x0d && body[at + 1] === 0x0a) at += 2;
    else return null;
    const headerEnd = body.indexOf('\r\n\r\n', at);
    if (headerEnd < 0) return null;
    const headers = body.subarray(at, headerEnd).toString('utf8').split('\r\n');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next < 0) return null;
    const content = body.subarray(headerEnd + 4, next);
    const disposition = headers.find((h) => /^content-disposition:/i.test(h)) ?? '';
    const type = headers.find((h) => /^content-type:/i.test(h))?.replace(/^content-type:\s*/i, '') ?? null;
    const name = param(disposition, 'name');
    const fileName = param(disposition, 'filename');
    if (name !== null) {
      if (fileName !== null) {
        if ((fileName !== '' || content.length > 0) && !(name in files)) files[name] = { fileName, contentType: type, bytes: Buffer.from(content) };
      } else if (!(name in fields)) fields[name] = content.toString('utf8');
    }
    at = next + 2;
  }
}
