;;; galley.el --- Galley language server for article drafts, through Eglot  -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "28.1") (eglot "1.9"))
;; Keywords: languages, text, tools
;; SPDX-License-Identifier: MIT OR Apache-2.0

;;; Commentary:

;; Registers `galley lsp' with Eglot for plain-text and Markdown drafts, so that duplicated
;; paragraphs and missing header fields show up as Flymake diagnostics with quick fixes
;; (M-x eglot-code-actions), and adds M-x galley-fix-all.
;;
;;   (add-to-list 'load-path "/path/to/galley/editors/emacs")
;;   (require 'galley)
;;   (galley-setup)                    ; start Galley in every .txt / .md draft
;;
;; Settings go to the server under the `galley' section, as in the README:
;;
;;   (setq galley-settings '(:nearDuplicateThreshold 0.7
;;                           :rules (:missing-author "error")))
;;
;; A project's `eglot-workspace-configuration' (say in .dir-locals.el) with a `:galley'
;; section takes precedence over `galley-settings'.

;;; Code:

(require 'eglot)
(require 'cl-lib)

(defgroup galley nil
  "Editorial review of article drafts with the Galley language server."
  :group 'tools
  :prefix "galley-")

(defcustom galley-executable "galley"
  "The `galley' binary: a name looked up on `exec-path', or an absolute path."
  :type 'string)

(defcustom galley-settings nil
  "Settings sent to the server, a plist with the server's camelCase keys.
For instance (:nearDuplicateThreshold 0.7 :minParagraphWords 8
:rules (:missing-author \"error\") :profile (:language \"es\")).  nil leaves every
value to galley.toml and the server's defaults."
  :type '(plist :key-type symbol :value-type sexp))

(defcustom galley-file-extensions '("txt" "md" "markdown")
  "Extensions of the files `galley-setup' starts Galley in."
  :type '(repeat string))

(defconst galley--modes
  '((text-mode :language-id "plaintext")
    (markdown-mode :language-id "markdown")
    (gfm-mode :language-id "markdown"))
  "Major modes Galley manages, with the LSP language ids the server expects.")

(defclass galley-eglot-server (eglot-lsp-server) ()
  :documentation "An Eglot connection to `galley lsp'.")

(defun galley--settings-object ()
  "`galley-settings' as a JSON object (an empty one when unset)."
  (or galley-settings (make-hash-table)))

(defun galley--contact (&optional _interactive)
  "The Eglot contact for Galley.
Its class, command line and initialization options."
  (let ((program (or (executable-find galley-executable)
                     (user-error "Galley: `%s' not found; install it (cargo install --path .) \
or set `galley-executable' to its path" galley-executable))))
    (list 'galley-eglot-server program "lsp"
          :initializationOptions (lambda (_server) (galley--settings-object)))))

(cl-defmethod eglot-handle-request
  ((server galley-eglot-server) (_method (eql workspace/configuration)) &key items)
  "Answer the `galley' section of ITEMS for SERVER.
The project's `eglot-workspace-configuration' wins, else `galley-settings'."
  (let ((answers (cl-call-next-method server 'workspace/configuration :items items)))
    (apply #'vector
           (cl-loop for item across items
                    for answer across answers
                    collect (if (and (equal (plist-get item :section) "galley") (null answer))
                                (galley--settings-object)
                              answer)))))

(defun galley-fix-all ()
  "Apply every safe Galley fix to the current draft.
This is the server's code action `source.fixAll.galley'."
  (interactive)
  (eglot-code-actions (point-min) (point-max) "source.fixAll.galley" t))

(defun galley--draft-p ()
  "Whether the current buffer is a draft Galley should check."
  (and buffer-file-name
       (memq major-mode (mapcar #'car galley--modes))
       (member (file-name-extension buffer-file-name) galley-file-extensions)))

(defun galley-eglot-ensure ()
  "Start Galley in the current buffer when it visits a draft."
  (when (galley--draft-p)
    (eglot-ensure)))

;;;###autoload
(defun galley-register ()
  "Tell Eglot that Galley serves plain-text and Markdown buffers."
  (add-to-list 'eglot-server-programs (cons galley--modes #'galley--contact)))

;;;###autoload
(defun galley-setup ()
  "Register Galley with Eglot and start it in every draft that is opened."
  (galley-register)
  ;; Markdown modes derive from `text-mode', so this hook covers them too.
  (add-hook 'text-mode-hook #'galley-eglot-ensure))

(provide 'galley)
;;; galley.el ends here
