//! A small HTTP service on the standard library: `GET /?name=x` answers
//! `{"message": "Hello, x!"}` and `GET /health` answers `{"status": "ok"}`, as JSON made by
//! serde_json.

mod greet;

use std::env;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};

use serde_json::{json, Value};

/// The value of `key` in a query string (`+` and `%XX` decoded).
fn query_param(query: &str, key: &str) -> String {
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, v)| decode(v))
        .unwrap_or_default()
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match u8::from_str_radix(&text[i + 1..i + 3], 16) {
                    Ok(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn route(target: &str) -> (&'static str, Value) {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    match path {
        "/" => ("200 OK", json!({ "message": greet::hello(&query_param(query, "name")) })),
        "/health" => ("200 OK", json!({ "status": "ok" })),
        _ => ("404 Not Found", json!({ "error": "not found" })),
    }
}

fn handle(stream: TcpStream) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // The headers are read and dropped: nothing here depends on them.
    let mut header = String::new();
    while reader.read_line(&mut header)? > 2 {
        header.clear();
    }
    let target = request_line.split_whitespace().nth(1).unwrap_or("/");
    let (status, body) = route(target);
    let body = body.to_string();
    let mut stream = stream;
    write!(
        stream,
        "HTTP/1.1 {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
        status,
        body.len(),
        body
    )
}

fn main() {
    let port = env::var("PORT").unwrap_or_else(|_| "8080".to_string());
    let listener = TcpListener::bind(("0.0.0.0", port.parse::<u16>().expect("PORT is a port number")))
        .expect("bind");
    println!("rust-api listening on {}", port);
    for stream in listener.incoming().flatten() {
        if let Err(err) = handle(stream) {
            eprintln!("request failed: {}", err);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{query_param, route};

    #[test]
    fn answers_the_greeting_and_health() {
        assert_eq!(route("/?name=layer%20wise").1["message"], "Hello, layer wise!");
        assert_eq!(route("/health").1["status"], "ok");
        assert_eq!(route("/nope").0, "404 Not Found");
        assert_eq!(query_param("a=1&name=x", "name"), "x");
    }
}
