/**
 * Reads a CA certificate named by a variable (ELASTICSEARCH_CA_FILE,
 * REDIS_CA_FILE) and says which variable to fix when the file cannot be read
 * or holds no PEM certificate.
 */
export function readCaFile(
  variable: string,
  file: string,
  readFile: (file: string) => string,
  hint = '',
): string {
  let text: string;
  try {
    text = readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new Error(`${variable}=${file} cannot be read (${code}).`, { cause: error });
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    throw new Error(
      `${variable}=${file} holds no PEM certificate: give the CA certificate in PEM${hint}.`,
    );
  }
  return text;
}
