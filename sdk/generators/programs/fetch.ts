// The fetch that orval's client calls (its "mutator"): the generated code
// asks for paths relative to the API, and this sends them to the server the
// program was given, then reads the body as the response's media type says.
let base = "http://127.0.0.1:8080";

/** Sets the API's base URL. */
export function setBaseURL(url: string): void {
  base = url.replace(/\/$/, "");
}

export const customFetch = async <T>(url: string, options: RequestInit): Promise<T> => {
  const res = await fetch(base + url, options);
  const type = res.headers.get("Content-Type") ?? "";
  let data: unknown = null;
  if (![204, 205, 304].includes(res.status)) {
    if (type.includes("json")) data = await res.json();
    else if (type.startsWith("text/") || type.includes("xml") || type.includes("ndjson")) data = await res.text();
    else data = await res.blob();
  }
  return { data, status: res.status, headers: res.headers } as T;
};
