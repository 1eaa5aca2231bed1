;;; test.el --- End-to-end test of editors/emacs/galley.el  -*- lexical-binding: t; -*-

;; Run by run.sh with `emacs --batch -Q': loads galley.el as a user's init file would, opens
;; the drafts, and checks and fixes them through Eglot's own commands. Batch Emacs has no
;; command loop, so `galley-test--command' runs what the loop runs after a command
;; (`post-command-hook') and what runs once the user stops typing (idle timers).

;;; Code:

(require 'package)
(setq package-directory-list '("/usr/share/emacs/site-lisp/elpa"))
(package-initialize)
(prefer-coding-system 'utf-8)
(require 'json)
(require 'subr-x)
(require 'cl-lib)

(add-to-list 'load-path (getenv "GALLEY_PLUGIN"))
(require 'galley)
(setq galley-executable (getenv "GALLEY_BIN"))
(galley-setup)

(defvar galley-test--work (getenv "GALLEY_WORK"))
(defvar galley-test--fixtures (getenv "GALLEY_FIXTURES"))
(defvar galley-test--timeout 15)

(defun galley-test--read (file)
  "FILE's text, from the fixtures folder."
  (with-temp-buffer
    (let ((coding-system-for-read 'utf-8))
      (insert-file-contents (expand-file-name file galley-test--fixtures)))
    (buffer-string)))

(defvar galley-test--scenario
  (let ((json-object-type 'plist) (json-array-type 'list))
    (json-read-from-string (galley-test--read "scenario.json"))))

(defun galley-test--get (&rest keys)
  "The scenario value under KEYS."
  (let ((value galley-test--scenario))
    (dolist (key keys value)
      (setq value (plist-get value key)))))

(defun galley-test--emacs-regexp (ere)
  "ERE, a POSIX extended regexp, in Emacs syntax."
  (replace-regexp-in-string "[(|){}]" (lambda (m) (concat "\\" m)) ere t t))

(defun galley-test--say (format-string &rest args)
  (princ (concat (apply #'format format-string args) "\n")))

(defun galley-test--idle ()
  "Run the idle timers, as Emacs does once the user stops typing."
  (dolist (timer (copy-sequence timer-idle-list))
    (timer-event-handler timer)))

(defun galley-test--command (fn)
  "Call FN as an interactive command, then do what the command loop does after one."
  (funcall fn)
  (run-hooks 'post-command-hook)
  (galley-test--idle))

(defun galley-test--wait (what predicate)
  "Wait until PREDICATE holds, or fail naming WHAT."
  (let ((deadline (+ (float-time) galley-test--timeout)))
    (while (not (funcall predicate))
      (when (> (float-time) deadline)
        (error "Timed out waiting for %s; diagnostics: %s" what (galley-test--describe)))
      (accept-process-output nil 0.02)
      (galley-test--idle))))

(defun galley-test--code (diag)
  (plist-get (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data diag))) :code))

(defun galley-test--diagnostics (&optional code)
  "Galley's Flymake diagnostics in this buffer, with CODE if given, in buffer order."
  (sort (cl-remove-if-not
         (lambda (d)
           (let ((lsp (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data d)))))
             (and lsp (equal (plist-get lsp :source) "galley")
                  (or (null code) (equal (plist-get lsp :code) code)))))
         (flymake-diagnostics))
        (lambda (a b) (< (flymake-diagnostic-beg a) (flymake-diagnostic-beg b)))))

(defun galley-test--line (pos)
  "0-based line of POS."
  (1- (line-number-at-pos pos t)))

(defun galley-test--describe ()
  (mapconcat (lambda (d)
               (format "%s@%d:%d-%d" (galley-test--code d)
                       (galley-test--line (flymake-diagnostic-beg d))
                       (flymake-diagnostic-beg d) (flymake-diagnostic-end d)))
             (galley-test--diagnostics) ", "))

(defun galley-test--line-bounds (line)
  "Start and end positions of 0-based LINE."
  (save-excursion
    (goto-char (point-min))
    (forward-line line)
    (cons (line-beginning-position) (line-end-position))))

(defun galley-test--check (ok format-string &rest args)
  (unless ok (error "%s" (apply #'format format-string args))))

(defun galley-test--check-paragraph-range (diag first last)
  "DIAG covers lines FIRST..LAST exactly: to the end of LAST, or to the start of the next.
Emoji and accents on those lines make a wrong position encoding fail here."
  (let ((start (car (galley-test--line-bounds first)))
        (end (cdr (galley-test--line-bounds last))))
    (galley-test--check (= (flymake-diagnostic-beg diag) start)
                        "%s starts at %d, expected %d (start of line %d)"
                        (galley-test--code diag) (flymake-diagnostic-beg diag) start first)
    (galley-test--check (memq (flymake-diagnostic-end diag) (list end (1+ end)))
                        "%s ends at %d, expected %d (end of line %d)"
                        (galley-test--code diag) (flymake-diagnostic-end diag) end last)))

(defun galley-test--quick-fix (diag)
  "Apply DIAG's quick fix with M-x eglot-code-actions over its region, taking the default
\(preferred) choice when Eglot asks which one."
  (let ((completing-read-function
         (lambda (_prompt _collection &optional _pred _req _init _hist default &rest _)
           default)))
    (galley-test--command
     (lambda ()
       (eglot-code-actions (flymake-diagnostic-beg diag) (flymake-diagnostic-end diag)
                           "quickfix" t)))))

(defun galley-test--open (file)
  (find-file (expand-file-name file galley-test--work))
  (run-hooks 'post-command-hook)
  (galley-test--wait "Eglot to manage the buffer" (lambda () (bound-and-true-p eglot--managed-mode)))
  (flymake-start))

(defun galley-test--plain ()
  (galley-test--open (galley-test--get :plain :file))
  (galley-test--wait "duplicate and missing-date diagnostics"
                     (lambda () (and (galley-test--diagnostics "duplicate-paragraph")
                                     (galley-test--diagnostics "missing-date"))))
  (galley-test--say "emacs: attached (%s), diagnostics %s" major-mode (galley-test--describe))
  (let ((dups (galley-test--diagnostics "duplicate-paragraph"))
        (dates (galley-test--diagnostics "missing-date"))
        (line (galley-test--get :plain :duplicate :line)))
    (galley-test--check (= (length dups) 1) "expected one duplicate, got %s" (galley-test--describe))
    (galley-test--check-paragraph-range (car dups) line line)
    (galley-test--check (= (length dates) 1) "expected one missing-date, got %s" (galley-test--describe))
    (galley-test--check (= (galley-test--line (flymake-diagnostic-beg (car dates)))
                           (galley-test--get :plain :missingDate :line))
                        "missing-date is not on line %d: %s"
                        (galley-test--get :plain :missingDate :line) (galley-test--describe))
    (galley-test--quick-fix (car dups)))
  (let ((expected (galley-test--read (galley-test--get :plain :deduplicated))))
    (galley-test--wait "the duplicate to be removed"
                       (lambda () (equal (buffer-string) expected)))
    (galley-test--wait "the duplicate diagnostic to go"
                       (lambda () (null (galley-test--diagnostics "duplicate-paragraph"))))
    (galley-test--quick-fix (car (galley-test--diagnostics "missing-date")))
    (galley-test--wait "the date line"
                       (lambda () (not (equal (buffer-string) expected))))
    (let* ((insert-line (galley-test--get :plain :missingDate :insertLine))
           (bounds (galley-test--line-bounds insert-line))
           (inserted (buffer-substring-no-properties (car bounds) (cdr bounds)))
           (rest (concat (buffer-substring-no-properties (point-min) (car bounds))
                         (buffer-substring-no-properties (min (point-max) (1+ (cdr bounds)))
                                                         (point-max)))))
      (galley-test--check (string-match-p (galley-test--emacs-regexp (galley-test--get :dateLine))
                                          inserted)
                          "line %d is %S, not a date line" insert-line inserted)
      (galley-test--check (equal rest expected) "inserting the date changed other lines:\n%s"
                          (buffer-string))
      (galley-test--wait "no diagnostics left" (lambda () (null (galley-test--diagnostics))))
      (galley-test--say "emacs: plain draft fixed, inserted %s" inserted))))

(defun galley-test--markdown ()
  (galley-test--open (galley-test--get :markdown :file))
  (galley-test--wait "the duplicate diagnostic in Markdown"
                     (lambda () (galley-test--diagnostics "duplicate-paragraph")))
  (let ((dups (galley-test--diagnostics "duplicate-paragraph")))
    (galley-test--check (= (length dups) 1) "expected one duplicate, got %s" (galley-test--describe))
    (galley-test--check-paragraph-range (car dups) (galley-test--get :markdown :duplicate :line)
                                        (galley-test--get :markdown :duplicate :endLine)))
  ;; An edit after an emoji on the same line: only a server that applies the change at the
  ;; right column sees the paragraph become an exact duplicate.
  (let* ((line (galley-test--get :markdown :edit :line))
         (target (galley-test--get :markdown :edit :delete)))
    (galley-test--command
     (lambda ()
       (goto-char (car (galley-test--line-bounds line)))
       (search-forward target (cdr (galley-test--line-bounds line)))
       (delete-region (match-beginning 0) (match-end 0))))
    (galley-test--wait "the edited paragraph to be flagged as a duplicate"
                       (lambda () (cl-some (lambda (d) (= (galley-test--line (flymake-diagnostic-beg d)) line))
                                           (galley-test--diagnostics "duplicate-paragraph"))))
    (galley-test--check-paragraph-range
     (cl-find-if (lambda (d) (= (galley-test--line (flymake-diagnostic-beg d)) line))
                 (galley-test--diagnostics "duplicate-paragraph"))
     line line))
  (galley-test--command #'galley-fix-all)
  (let ((expected (galley-test--read (galley-test--get :markdown :fixed))))
    (galley-test--wait "galley-fix-all to give the expected draft"
                       (lambda () (equal (buffer-string) expected)))
    (galley-test--wait "no duplicate diagnostics left"
                       (lambda () (null (append (galley-test--diagnostics "duplicate-paragraph")
                                                (galley-test--diagnostics "near-duplicate-paragraph")))))
    (galley-test--say "emacs: markdown draft fixed with galley-fix-all (%s)" major-mode)))

(condition-case err
    (progn
      (galley-test--plain)
      (galley-test--markdown)
      (galley-test--say "emacs: all checks passed")
      (kill-emacs 0))
  (error
   (princ (format "emacs: FAILED: %s\n" (error-message-string err)) #'external-debugging-output)
   (kill-emacs 1)))

;;; test.el ends here
