//! A guard between the client's byte stream and the LSP service.
//!
//! tower-lsp-server 0.23 stops reading its input for good after the first frame it cannot decode
//! (a body that is not JSON, an empty batch `[]`, a number, an object that is neither a request
//! nor a response, a `Content-Type` with another charset …), which ends the session. The guard
//! reads the `Content-Length` frames itself, answers every frame the service would choke on with
//! a JSON-RPC error (`-32700` parse error, `-32600` invalid request), and hands every other frame
//! on with its body untouched and a canonical `Content-Length` header. Garbage between frames is
//! skipped up to the next `Content-Length` header.
//!
//! Output is merged here too: the service's frames and the guard's error replies go to the
//! client one whole frame at a time, so they never interleave mid-frame.

use std::borrow::Cow;
use std::io;

use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::Value;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::{self, ErrorCode, Id};

/// A header block longer than this is not a header: resynchronise instead of buffering on.
const MAX_HEADER_BYTES: usize = 8 * 1024;
/// The largest body accepted (a 50 MB draft, JSON-escaped, fits with room to spare).
const MAX_BODY_BYTES: usize = 512 * 1024 * 1024;
const READ_CHUNK: usize = 64 * 1024;
const HEADER_END: &[u8] = b"\r\n\r\n";
const CONTENT_LENGTH: &[u8] = b"Content-Length";

/// One unit read from the stream.
#[derive(Debug, PartialEq)]
pub(crate) enum Frame {
    /// A frame body, exactly `Content-Length` bytes.
    Body(Vec<u8>),
    /// A header block that cannot be used; the reason, for the log and the error reply.
    BadHeader(String),
}

/// Reads `Content-Length` framed messages from a byte stream.
pub(crate) struct FrameReader<R> {
    reader: R,
    buf: Vec<u8>,
    /// Set after a bad header: skip bytes up to the next `Content-Length`.
    resync: bool,
}

impl<R: AsyncRead + Unpin> FrameReader<R> {
    pub(crate) fn new(reader: R) -> Self {
        FrameReader {
            reader,
            buf: Vec::new(),
            resync: false,
        }
    }

    /// The next frame, or `None` at the end of the stream.
    pub(crate) async fn next(&mut self) -> io::Result<Option<Frame>> {
        loop {
            if self.resync {
                match memchr::memmem::find(&self.buf, CONTENT_LENGTH) {
                    Some(at) => {
                        self.buf.drain(..at);
                        self.resync = false;
                    }
                    None => {
                        // Keep a tail that may hold the start of a split `Content-Length`.
                        let keep = self.buf.len().min(CONTENT_LENGTH.len() - 1);
                        self.buf.drain(..self.buf.len() - keep);
                        if !self.fill(READ_CHUNK).await? {
                            return Ok(None);
                        }
                        continue;
                    }
                }
            }
            if let Some(end) = memchr::memmem::find(&self.buf, HEADER_END) {
                let parsed = parse_header(&self.buf[..end]);
                self.buf.drain(..end + HEADER_END.len());
                match parsed {
                    Ok(len) => return self.body(len).await,
                    Err(reason) => {
                        self.resync = true;
                        return Ok(Some(Frame::BadHeader(reason)));
                    }
                }
            }
            if self.buf.len() > MAX_HEADER_BYTES {
                // Drop the first byte so that resynchronising cannot find the same spot again.
                self.buf.drain(..1);
                self.resync = true;
                return Ok(Some(Frame::BadHeader(
                    "no header terminator in the first 8 KiB".into(),
                )));
            }
            if !self.fill(READ_CHUNK).await? {
                if self.buf.iter().any(|b| !b.is_ascii_whitespace()) {
                    tracing::warn!(
                        "input ended inside a frame header; {} bytes dropped",
                        self.buf.len()
                    );
                }
                return Ok(None);
            }
        }
    }

    async fn body(&mut self, len: usize) -> io::Result<Option<Frame>> {
        while self.buf.len() < len {
            let missing = len - self.buf.len();
            if !self.fill(missing.min(16 * READ_CHUNK)).await? {
                tracing::warn!(
                    "input ended inside a frame body ({} of {len} bytes)",
                    self.buf.len()
                );
                return Ok(None);
            }
        }
        let rest = self.buf.split_off(len);
        Ok(Some(Frame::Body(std::mem::replace(&mut self.buf, rest))))
    }

    /// Reads more bytes; `false` at the end of the stream.
    async fn fill(&mut self, want: usize) -> io::Result<bool> {
        self.buf.reserve(want.max(1));
        let n = self.reader.read_buf(&mut self.buf).await?;
        Ok(n > 0)
    }
}

/// The body length from a header block, accepting header names in any case and a UTF-8
/// `Content-Type` (or none).
fn parse_header(block: &[u8]) -> Result<usize, String> {
    let text = std::str::from_utf8(block).map_err(|_| "header is not UTF-8".to_string())?;
    let mut length = None;
    for line in text.split("\r\n") {
        let Some((name, value)) = line.split_once(':') else {
            return Err(format!("malformed header line {line:?}"));
        };
        let value = value.trim();
        if name.trim().eq_ignore_ascii_case("content-length") {
            let len: usize = value
                .parse()
                .map_err(|_| format!("invalid Content-Length {value:?}"))?;
            if len > MAX_BODY_BYTES {
                return Err(format!(
                    "Content-Length {len} exceeds the {MAX_BODY_BYTES} byte limit"
                ));
            }
            length = Some(len);
        } else if name.trim().eq_ignore_ascii_case("content-type") {
            let charset = value
                .split(';')
                .skip(1)
                .filter_map(|param| param.trim().split_once('='))
                .find(|(key, _)| key.trim().eq_ignore_ascii_case("charset"))
                .map(|(_, v)| v.trim().trim_matches('"').to_ascii_lowercase());
            if let Some(charset) = charset
                && charset != "utf-8"
                && charset != "utf8"
            {
                return Err(format!("unsupported charset {charset:?}"));
            }
        }
    }
    length.ok_or_else(|| "missing Content-Length header".to_string())
}

/// What the guard does with a frame body.
#[derive(Debug, PartialEq)]
pub(crate) enum Verdict {
    /// The service can decode it: pass it on.
    Pass,
    /// Answer with this JSON-RPC error response instead.
    Reject(jsonrpc::Response),
}

/// The shape the service's codec accepts, checked without building the params: a JSON-RPC
/// `Request` (which every well-formed response also satisfies, since unknown keys are ignored):
/// `"jsonrpc": "2.0"`, a string `method` if any, a valid `id` if any. Skipping the params with
/// `IgnoredAny` keeps a 5 MB `didOpen` from being parsed into a tree one extra time.
#[derive(Deserialize)]
struct Probe<'a> {
    #[serde(borrow)]
    jsonrpc: Cow<'a, str>,
    #[serde(default, borrow, rename = "method")]
    _method: Cow<'a, str>,
    #[serde(default, rename = "params")]
    _params: IgnoredAny,
    #[serde(default, rename = "id")]
    _id: Option<Id>,
}

/// Decides whether the service can decode `body`, exactly as its codec does (a request or
/// notification, or a response to one of the server's requests), and what to answer otherwise.
pub(crate) fn classify(body: &[u8]) -> Verdict {
    if serde_json::from_slice::<Probe>(body).is_ok_and(|probe| probe.jsonrpc == "2.0") {
        return Verdict::Pass;
    }
    let value = match std::str::from_utf8(body) {
        Err(_) => {
            return reject(
                Id::Null,
                ErrorCode::ParseError,
                "message body is not UTF-8".into(),
            );
        }
        Ok(text) => match serde_json::from_str::<Value>(text) {
            Err(err) => {
                return reject(
                    Id::Null,
                    ErrorCode::ParseError,
                    format!("message body is not JSON: {err}"),
                );
            }
            Ok(value) => value,
        },
    };
    match value {
        Value::Array(items) if items.is_empty() => {
            reject(Id::Null, ErrorCode::InvalidRequest, "empty batch".into())
        }
        Value::Array(_) => reject(
            Id::Null,
            ErrorCode::InvalidRequest,
            "batch requests are not supported".into(),
        ),
        Value::Object(object) => {
            let id = object
                .get("id")
                .and_then(|id| serde_json::from_value::<Id>(id.clone()).ok())
                .unwrap_or(Id::Null);
            reject(
                id,
                ErrorCode::InvalidRequest,
                "not a JSON-RPC 2.0 request, notification or response".into(),
            )
        }
        _ => reject(
            Id::Null,
            ErrorCode::InvalidRequest,
            "a message must be a JSON object".into(),
        ),
    }
}

fn reject(id: Id, code: ErrorCode, message: String) -> Verdict {
    let error = jsonrpc::Error {
        code,
        message: message.into(),
        data: None,
    };
    Verdict::Reject(jsonrpc::Response::from_error(id, error))
}

/// Frames a body with a `Content-Length` header.
pub(crate) fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

fn error_frame(response: &jsonrpc::Response) -> Option<Vec<u8>> {
    match serde_json::to_vec(response) {
        Ok(body) => Some(frame(&body)),
        Err(err) => {
            tracing::error!("cannot serialise an error response: {err}");
            None
        }
    }
}

/// Reads frames from the client, passes the decodable ones to the service and answers the rest
/// through `replies`. Returns at the end of the input (or when the service stops reading).
pub(crate) async fn guard<R, W>(input: R, mut to_service: W, replies: mpsc::Sender<Vec<u8>>)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut frames = FrameReader::new(input);
    loop {
        let frame = match frames.next().await {
            Ok(Some(frame)) => frame,
            Ok(None) => break,
            Err(err) => {
                tracing::error!("cannot read from the client: {err}");
                break;
            }
        };
        let verdict = match frame {
            Frame::Body(body) => match classify(&body) {
                Verdict::Pass => {
                    let header = format!("Content-Length: {}\r\n\r\n", body.len());
                    let written = async {
                        to_service.write_all(header.as_bytes()).await?;
                        to_service.write_all(&body).await?;
                        to_service.flush().await
                    };
                    if let Err(err) = written.await {
                        tracing::debug!("the service stopped reading: {err}");
                        break;
                    }
                    continue;
                }
                Verdict::Reject(response) => response,
            },
            Frame::BadHeader(reason) => {
                let error = jsonrpc::Error {
                    code: ErrorCode::ParseError,
                    message: reason.into(),
                    data: None,
                };
                jsonrpc::Response::from_error(Id::Null, error)
            }
        };
        tracing::warn!("rejected an input frame: {verdict:?}");
        if let Some(bytes) = error_frame(&verdict)
            && replies.send(bytes).await.is_err()
        {
            break;
        }
    }
    // Dropping `to_service` here closes the service's input, which ends the session.
}

/// Re-frames the service's output so each frame reaches the writer whole.
pub(crate) async fn relay<R: AsyncRead + Unpin>(from_service: R, out: mpsc::Sender<Vec<u8>>) {
    let mut frames = FrameReader::new(from_service);
    while let Ok(Some(next)) = frames.next().await {
        match next {
            Frame::Body(body) => {
                if out.send(frame(&body)).await.is_err() {
                    break;
                }
            }
            Frame::BadHeader(reason) => {
                tracing::error!("the service wrote a bad frame header: {reason}")
            }
        }
    }
}

/// Writes whole frames to the client, flushing after each, until every sender is gone.
pub(crate) async fn write_frames<W: AsyncWrite + Unpin>(
    mut frames: mpsc::Receiver<Vec<u8>>,
    mut output: W,
) {
    while let Some(bytes) = frames.recv().await {
        let written = async {
            output.write_all(&bytes).await?;
            output.flush().await
        };
        if let Err(err) = written.await {
            tracing::error!("cannot write to the client: {err}");
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn read_all(input: &[u8]) -> Vec<Frame> {
        let mut reader = FrameReader::new(input);
        let mut out = Vec::new();
        while let Some(frame) = reader.next().await.unwrap() {
            out.push(frame);
        }
        out
    }

    fn error_code(verdict: Verdict) -> i64 {
        match verdict {
            Verdict::Pass => panic!("expected a rejection"),
            Verdict::Reject(response) => match response.into_parts() {
                (_, Err(err)) => err.code.code(),
                (_, Ok(_)) => panic!("expected an error response"),
            },
        }
    }

    #[tokio::test]
    async fn reads_consecutive_frames_with_any_header_case() {
        let input = b"Content-Length: 2\r\n\r\n{}content-length: 3\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n[1]";
        let frames = read_all(input).await;
        assert_eq!(
            frames,
            vec![Frame::Body(b"{}".to_vec()), Frame::Body(b"[1]".to_vec())]
        );
    }

    #[tokio::test]
    async fn skips_garbage_after_a_bad_header_up_to_the_next_frame() {
        let input = b"Content-Length: x\r\n\r\nnoise noise Content-Length: 2\r\n\r\n{}";
        let frames = read_all(input).await;
        assert!(matches!(frames[0], Frame::BadHeader(_)));
        assert_eq!(frames[1], Frame::Body(b"{}".to_vec()));
        assert_eq!(frames.len(), 2);
    }

    #[tokio::test]
    async fn rejects_a_header_without_content_length_and_another_charset() {
        let frames = read_all(b"Content-Type: text/plain\r\n\r\n").await;
        assert!(matches!(&frames[0], Frame::BadHeader(r) if r.contains("missing")));
        let frames =
            read_all(b"Content-Length: 2\r\nContent-Type: a/b; charset=latin1\r\n\r\n{}").await;
        assert!(matches!(&frames[0], Frame::BadHeader(r) if r.contains("latin1")));
    }

    #[tokio::test]
    async fn ends_quietly_on_a_truncated_body() {
        assert!(read_all(b"Content-Length: 10\r\n\r\n{}").await.is_empty());
    }

    #[test]
    fn passes_requests_notifications_and_responses() {
        for body in [
            r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#,
            r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
            r#"{"jsonrpc":"2.0","id":7,"method":"no/such/method"}"#,
            r#"{"jsonrpc":"2.0","id":3,"result":null}"#,
        ] {
            assert_eq!(classify(body.as_bytes()), Verdict::Pass, "{body}");
        }
    }

    #[test]
    fn accepts_exactly_what_the_service_can_decode() {
        for body in [
            r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#,
            r#"{"jsonrpc":"2.0","method":"x","params":[1,2]}"#,
            r#"{"jsonrpc":"2.0","id":null,"method":"x"}"#,
            r#"{"jsonrpc":"2.0","id":"abc","result":{"a":1}}"#,
            r#"{"jsonrpc":"2.0","id":2,"error":{"code":-1,"message":"m"}}"#,
            r#"{"jsonrpc":"2.0","id":2,"error":"not an error object"}"#,
            r#"{"jsonrpc":"2.0"}"#,
            r#"{"jsonrpc":"2\u002e0","method":"x"}"#,
            r#"{"jsonrpc":"2.0","method":null}"#,
            r#"{"jsonrpc":"2.0","method":5}"#,
            r#"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#,
            r#"{"jsonrpc":"2.0","id":18446744073709551615,"method":"x"}"#,
            r#"{"jsonrpc":"2.0","id":[1],"method":"x"}"#,
            r#"{"jsonrpc":"2.0","id":1,"id":2,"method":"x"}"#,
            r#"{"jsonrpc":2,"method":"x"}"#,
            r#"{"method":"x"}"#,
        ] {
            let codec = serde_json::from_str::<jsonrpc::Request>(body).is_ok()
                || serde_json::from_str::<jsonrpc::Response>(body).is_ok();
            assert_eq!(classify(body.as_bytes()) == Verdict::Pass, codec, "{body}");
        }
    }

    #[test]
    fn answers_non_json_with_parse_error() {
        assert_eq!(error_code(classify(b"{not json")), -32700);
        assert_eq!(error_code(classify(b"\xff\xfe")), -32700);
    }

    #[test]
    fn answers_empty_batch_and_non_objects_with_invalid_request() {
        assert_eq!(error_code(classify(b"[]")), -32600);
        assert_eq!(
            error_code(classify(b"[{\"jsonrpc\":\"2.0\",\"method\":\"x\"}]")),
            -32600
        );
        assert_eq!(error_code(classify(b"42")), -32600);
        assert_eq!(
            error_code(classify(br#"{"jsonrpc":"1.0","id":4,"method":"x"}"#)),
            -32600
        );
    }

    #[test]
    fn keeps_the_request_id_in_an_invalid_request_answer() {
        let Verdict::Reject(response) = classify(br#"{"jsonrpc":"1.0","id":4,"method":"x"}"#)
        else {
            panic!("expected a rejection");
        };
        assert_eq!(response.into_parts().0, Id::Number(4));
    }
}
