//! In-process protocol tests: the server as a tower service (`LspService` + `ServiceExt`),
//! driven with JSON-RPC requests in the pull model, with JSON snapshots of diagnostics, code
//! actions, hover and symbols on Spanish drafts with accents and emoji, in UTF-16 and UTF-8.

use serde_json::{Value, json};
use tower::{Service, ServiceExt};
use tower_lsp_server::LspService;
use tower_lsp_server::jsonrpc::Request;

use galley::lsp::{Backend, service};

/// A plain draft: leaning adds up to 110%, one pasted paragraph (with an emoji), one reworded.
const PLAIN: &str = "Progresista 40% Conservador 70%
El ayuntamiento aprueba el presupuesto más ambicioso 🎉 de la década
La oposición critica la falta de inversión en vivienda pública y transporte
Publicado: 3 de marzo de 2026, 09:15
La sesión plenaria comenzó con media hora de retraso 😅 porque varios concejales llegaron tarde desde la reunión anterior.
El alcalde defendió que las cuentas permitirán ampliar la red de bibliotecas y reformar tres polideportivos municipales este año.
La sesión plenaria comenzó con media hora de retraso 😅 porque varios concejales llegaron tarde desde la reunión anterior.
Según la portavoz de la oposición, el documento olvida a los barrios del norte, donde la inversión lleva años congelada.
El alcalde defendió que las cuentas permitirán ampliar la red de bibliotecas y reformar cuatro polideportivos municipales este año.
";

/// A Markdown draft with front matter and a pasted paragraph.
const MARKDOWN: &str = "---
title: Reabre el mercado de abastos tras dos años de obras 🛒
subtitle: Los comerciantes vuelven a sus puestos con rebajas de alquiler
date: 2026-05-12T08:30
leaning: {progresista: 55, conservador: 45}
---
# Reabre el mercado

Las puertas se abrieron a las ocho en punto ante una cola de vecinos que esperaba desde el amanecer ☀️ con carritos.

La concejala de Comercio recordó que la reforma costó casi cuatro millones y llegó con un año de retraso.

Las puertas se abrieron a las ocho en punto ante una cola de vecinos que esperaba desde el amanecer ☀️ con carritos.
";

const PLAIN_URI: &str = "file:///redaccion/borrador.txt";
const MD_URI: &str = "file:///redaccion/mercado.md";

struct Server {
    service: LspService<Backend>,
    next_id: i64,
}

impl Server {
    /// A server initialized by a pull-model client offering `encodings`.
    async fn start(encodings: &[&str], options: Value) -> (Server, Value) {
        // The socket carries server-to-client messages; pull clients need none of them.
        let (service, _socket) = service();
        let mut server = Server {
            service,
            next_id: 1,
        };
        let result = server
            .request(
                "initialize",
                json!({
                    "capabilities": {
                        "general": {"positionEncodings": encodings},
                        "textDocument": {"diagnostic": {}},
                    },
                    "initializationOptions": options,
                }),
            )
            .await;
        server.notify("initialized", json!({})).await;
        (server, result["result"].clone())
    }

    async fn call(&mut self, request: Request) -> Option<Value> {
        let response = self
            .service
            .ready()
            .await
            .unwrap()
            .call(request)
            .await
            .unwrap();
        response.map(|r| serde_json::to_value(r).unwrap())
    }

    async fn request(&mut self, method: &'static str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.call(Request::build(method).params(params).id(id).finish())
            .await
            .expect("a response")
    }

    async fn notify(&mut self, method: &'static str, params: Value) {
        assert_eq!(
            self.call(Request::build(method).params(params).finish())
                .await,
            None
        );
    }

    async fn open(&mut self, uri: &str, language: &str, text: &str) {
        let doc = json!({"uri": uri, "languageId": language, "version": 1, "text": text});
        self.notify("textDocument/didOpen", json!({"textDocument": doc}))
            .await;
    }

    async fn pull(&mut self, uri: &str) -> Value {
        self.request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": uri}}),
        )
        .await["result"]
            .clone()
    }

    async fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        self.pull(uri).await["items"].as_array().cloned().unwrap()
    }

    async fn code_actions(
        &mut self,
        uri: &str,
        diagnostics: &[Value],
        only: Option<&[&str]>,
    ) -> Vec<Value> {
        let range = diagnostics.first().map_or(
            json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}),
            |d| d["range"].clone(),
        );
        let response = self
            .request(
                "textDocument/codeAction",
                json!({
                    "textDocument": {"uri": uri},
                    "range": range,
                    "context": {"diagnostics": diagnostics, "only": only},
                }),
            )
            .await;
        response["result"].as_array().cloned().unwrap_or_default()
    }
}

fn by_code<'a>(diagnostics: &'a [Value], code: &str) -> Vec<&'a Value> {
    diagnostics.iter().filter(|d| d["code"] == code).collect()
}

#[tokio::test]
async fn negotiates_utf8_when_offered_and_utf16_otherwise() {
    let (_, result) = Server::start(&["utf-16", "utf-8"], Value::Null).await;
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");
    let (_, result) = Server::start(&["utf-32", "utf-16"], Value::Null).await;
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-16");
    let (_, result) = Server::start(&["utf-32"], Value::Null).await;
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-32");
    assert_eq!(result["capabilities"]["textDocumentSync"]["change"], 2);
    assert_eq!(result["serverInfo"]["name"], "galley");
}

#[tokio::test]
async fn plain_draft_diagnostics_in_utf16() {
    let (mut server, _) = Server::start(&["utf-16"], Value::Null).await;
    server.open(PLAIN_URI, "plaintext", PLAIN).await;
    let diagnostics = server.diagnostics(PLAIN_URI).await;
    insta::assert_json_snapshot!(diagnostics);
}

#[tokio::test]
async fn plain_draft_diagnostics_in_utf8() {
    let (mut server, _) = Server::start(&["utf-8"], Value::Null).await;
    server.open(PLAIN_URI, "plaintext", PLAIN).await;
    let diagnostics = server.diagnostics(PLAIN_URI).await;
    insta::assert_json_snapshot!(diagnostics);
}

#[tokio::test]
async fn ranges_after_emoji_differ_exactly_by_encoding() {
    let (mut utf16, _) = Server::start(&["utf-16"], Value::Null).await;
    let (mut utf8, _) = Server::start(&["utf-8"], Value::Null).await;
    utf16.open(PLAIN_URI, "plaintext", PLAIN).await;
    utf8.open(PLAIN_URI, "plaintext", PLAIN).await;
    let a = utf16.diagnostics(PLAIN_URI).await;
    let b = utf8.diagnostics(PLAIN_URI).await;
    let dup16 = by_code(&a, "duplicate-paragraph")[0];
    let dup8 = by_code(&b, "duplicate-paragraph")[0];
    let line = PLAIN.lines().nth(6).unwrap();
    assert_eq!(
        dup16["range"]["end"]["character"],
        line.encode_utf16().count()
    );
    assert_eq!(dup8["range"]["end"]["character"], line.len());
    assert_eq!(dup16["range"]["start"]["line"], 6);
}

#[tokio::test]
async fn diagnostics_carry_source_code_link_related_and_tags() {
    let (mut server, _) = Server::start(&["utf-16"], Value::Null).await;
    server.open(PLAIN_URI, "plaintext", PLAIN).await;
    let diagnostics = server.diagnostics(PLAIN_URI).await;
    let dup = by_code(&diagnostics, "duplicate-paragraph")[0];
    assert_eq!(dup["source"], "galley");
    assert_eq!(
        dup["codeDescription"]["href"],
        "https://github.com/galley-lsp/galley#duplicate-paragraph"
    );
    assert_eq!(dup["tags"], json!([1]));
    assert_eq!(
        dup["relatedInformation"][0]["message"],
        "first appears here"
    );
    assert_eq!(
        dup["relatedInformation"][0]["location"]["range"]["start"]["line"],
        4
    );
    let near = by_code(&diagnostics, "near-duplicate-paragraph");
    assert_eq!(near.len(), 1, "{diagnostics:#?}");
    assert!(
        near[0].get("tags").is_none(),
        "only exact duplicates are faded"
    );
}

#[tokio::test]
async fn markdown_draft_diagnostics_and_actions() {
    let (mut server, _) = Server::start(&["utf-16"], Value::Null).await;
    server.open(MD_URI, "markdown", MARKDOWN).await;
    let diagnostics = server.diagnostics(MD_URI).await;
    insta::assert_json_snapshot!("markdown_diagnostics", diagnostics);
    let dup: Vec<Value> = by_code(&diagnostics, "duplicate-paragraph")
        .into_iter()
        .cloned()
        .collect();
    let actions = server.code_actions(MD_URI, &dup, None).await;
    insta::assert_json_snapshot!("markdown_actions", actions);
}

#[tokio::test]
async fn quick_fix_sets_the_second_percentage() {
    let (mut server, _) = Server::start(&["utf-8"], Value::Null).await;
    server.open(PLAIN_URI, "plaintext", PLAIN).await;
    let diagnostics = server.diagnostics(PLAIN_URI).await;
    let leaning: Vec<Value> = by_code(&diagnostics, "invalid-leaning")
        .into_iter()
        .cloned()
        .collect();
    let actions = server
        .code_actions(PLAIN_URI, &leaning, Some(&["quickfix"]))
        .await;
    insta::assert_json_snapshot!(actions);
    assert_eq!(actions[0]["title"], "Set Conservador to 60%");
    assert_eq!(actions[0]["isPreferred"], true);
}

#[tokio::test]
async fn fix_all_is_one_minimal_edit_removing_exact_duplicates_only() {
    let (mut server, _) = Server::start(&["utf-16"], Value::Null).await;
    server.open(PLAIN_URI, "plaintext", PLAIN).await;
    let actions = server
        .code_actions(PLAIN_URI, &[], Some(&["source.fixAll"]))
        .await;
    insta::assert_json_snapshot!(actions);
    assert_eq!(actions.len(), 1);
    assert_eq!(actions[0]["kind"], "source.fixAll.galley");
    let edits = actions[0]["edit"]["changes"][PLAIN_URI].as_array().unwrap();
    assert_eq!(edits.len(), 1);
    let start = edits[0]["range"]["start"]["line"].as_u64().unwrap() as usize;
    let end = edits[0]["range"]["end"]["line"].as_u64().unwrap() as usize;
    let mut lines: Vec<&str> = PLAIN.lines().collect();
    lines.drain(start..end);
    let fixed = lines.join("\n") + "\n";
    assert_eq!(fixed.matches("La sesión plenaria").count(), 1);
    assert_eq!(
        fixed.matches("El alcalde defendió").count(),
        2,
        "near duplicates stay"
    );
}

#[tokio::test]
async fn no_fix_all_action_when_nothing_is_safely_fixable() {
    let (mut server, _) = Server::start(&["utf-16"], Value::Null).await;
    let clean = PLAIN.replacen(
        PLAIN.lines().nth(6).unwrap(),
        "Una frase distinta que nadie ha escrito antes en este borrador de prueba.",
        1,
    );
    server.open(PLAIN_URI, "plaintext", &clean).await;
    assert!(
        server
            .code_actions(PLAIN_URI, &[], Some(&["source.fixAll"]))
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn stale_fix_data_gives_no_action() {
    let (mut server, _) = Server::start(&["utf-16"], Value::Null).await;
    server.open(PLAIN_URI, "plaintext", PLAIN).await;
    let diagnostics = server.diagnostics(PLAIN_URI).await;
    let change = json!({
        "textDocument": {"uri": PLAIN_URI, "version": 2},
        "contentChanges": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "\n"}],
    });
    server.notify("textDocument/didChange", change).await;
    let actions = server
        .code_actions(PLAIN_URI, &diagnostics, Some(&["quickfix"]))
        .await;
    assert!(actions.is_empty(), "{actions:#?}");
}

#[tokio::test]
async fn pull_answers_unchanged_until_the_text_changes() {
    let (mut server, _) = Server::start(&["utf-16"], Value::Null).await;
    server.open(PLAIN_URI, "plaintext", PLAIN).await;
    let first = server.pull(PLAIN_URI).await;
    assert_eq!(first["kind"], "full");
    let id = first["resultId"].as_str().unwrap().to_string();
    let again = server
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": PLAIN_URI}, "previousResultId": id}),
        )
        .await;
    assert_eq!(again["result"]["kind"], "unchanged");
    assert_eq!(again["result"]["resultId"], id);
    let change = json!({
        "textDocument": {"uri": PLAIN_URI, "version": 2},
        "contentChanges": [{"range": {"start": {"line": 8, "character": 0}, "end": {"line": 9, "character": 0}}, "text": ""}],
    });
    server.notify("textDocument/didChange", change).await;
    let after = server
        .request(
            "textDocument/diagnostic",
            json!({"textDocument": {"uri": PLAIN_URI}, "previousResultId": id}),
        )
        .await;
    assert_eq!(after["result"]["kind"], "full");
    assert_ne!(after["result"]["resultId"], id);
    let items = after["result"]["items"].as_array().unwrap();
    assert!(by_code(items, "near-duplicate-paragraph").is_empty());
}

#[tokio::test]
async fn hover_on_a_copy_shows_the_original() {
    let (mut server, _) = Server::start(&["utf-16"], Value::Null).await;
    server.open(PLAIN_URI, "plaintext", PLAIN).await;
    let hover = server
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": PLAIN_URI}, "position": {"line": 8, "character": 20}}),
        )
        .await;
    insta::assert_json_snapshot!(hover["result"]);
    let nothing = server
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": PLAIN_URI}, "position": {"line": 7, "character": 3}}),
        )
        .await;
    assert_eq!(nothing["result"], Value::Null);
}

#[tokio::test]
async fn outline_lists_fields_and_paragraphs() {
    let (mut server, _) = Server::start(&["utf-16"], Value::Null).await;
    server.open(PLAIN_URI, "plaintext", PLAIN).await;
    let symbols = server
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": PLAIN_URI}}),
        )
        .await;
    insta::assert_json_snapshot!(symbols["result"]);
}

#[tokio::test]
async fn readme_and_other_languages_get_no_diagnostics() {
    let (mut server, _) = Server::start(&["utf-16"], Value::Null).await;
    server
        .open("file:///redaccion/README.md", "markdown", MARKDOWN)
        .await;
    server
        .open("file:///redaccion/main.rs", "rust", PLAIN)
        .await;
    assert!(
        server
            .diagnostics("file:///redaccion/README.md")
            .await
            .is_empty()
    );
    assert!(
        server
            .diagnostics("file:///redaccion/main.rs")
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn editor_settings_from_initialization_options_apply() {
    let options = json!({"galley": {"rules": {"duplicate-paragraph": "off", "invalid-leaning": "hint"}, "minParagraphWords": "many"}});
    let (mut server, _) = Server::start(&["utf-16"], options).await;
    server.open(PLAIN_URI, "plaintext", PLAIN).await;
    let diagnostics = server.diagnostics(PLAIN_URI).await;
    assert!(by_code(&diagnostics, "duplicate-paragraph").is_empty());
    assert_eq!(by_code(&diagnostics, "invalid-leaning")[0]["severity"], 4);
}

#[tokio::test]
async fn disabled_server_reports_nothing() {
    let (mut server, _) = Server::start(&["utf-16"], json!({"enable": false})).await;
    server.open(PLAIN_URI, "plaintext", PLAIN).await;
    assert!(server.diagnostics(PLAIN_URI).await.is_empty());
}

#[tokio::test]
async fn unknown_methods_and_wrong_params_are_answered_with_errors() {
    let (mut server, _) = Server::start(&["utf-16"], Value::Null).await;
    let unknown = server.request("galley/doesNotExist", json!({})).await;
    assert_eq!(unknown["error"]["code"], -32601);
    let wrong = server
        .request("textDocument/hover", json!({"textDocument": 5}))
        .await;
    assert_eq!(wrong["error"]["code"], -32602);
    let unknown_doc = server
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": "file:///nada.txt"}, "position": {"line": 0, "character": 0}}),
        )
        .await;
    assert_eq!(unknown_doc["result"], Value::Null);
    server.open(PLAIN_URI, "plaintext", PLAIN).await;
    assert!(
        !server.diagnostics(PLAIN_URI).await.is_empty(),
        "still serving"
    );
}

#[tokio::test]
async fn shutdown_then_requests_are_refused() {
    let (mut server, _) = Server::start(&["utf-16"], Value::Null).await;
    let response = server.request("shutdown", Value::Null).await;
    assert_eq!(response["result"], Value::Null);
    let after = server
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": PLAIN_URI}}),
        )
        .await;
    assert_eq!(after["error"]["code"], -32600);
}
