-- Galley for Neovim 0.11+: `setup()` configures and enables the `galley` client (defaults in
-- lsp/galley.lua) and `fix_all()` applies the server's `source.fixAll.galley` code action.
local M = {}

local FIX_ALL = 'source.fixAll.galley'

---@class galley.Opts
---@field cmd? string[] command that starts the server, default `{ 'galley', 'lsp' }`
---@field settings? table the server's settings (camelCase, as under `galley` in the README):
---  nearDuplicateThreshold, minParagraphWords, rules, language, required
---@field filetypes? string[] default `{ 'text', 'markdown' }`
---@field root_markers? string[] default `{ 'galley.toml', '.git' }`
---@field enable? boolean call `vim.lsp.enable('galley')`, default true

---@param opts? galley.Opts
function M.setup(opts)
  opts = opts or {}
  local config = {}
  if opts.cmd then
    config.cmd = opts.cmd
  end
  if opts.filetypes then
    config.filetypes = opts.filetypes
  end
  if opts.root_markers then
    config.root_markers = opts.root_markers
  end
  if opts.settings then
    -- Sent both at startup and on request, so a server that reads either sees the same values.
    config.settings = { galley = opts.settings }
    config.init_options = opts.settings
  end
  vim.lsp.config('galley', config)
  if opts.enable ~= false then
    vim.lsp.enable('galley')
  end
end

---@param bufnr integer
---@return vim.lsp.Client[]
local function clients(bufnr)
  return vim.lsp.get_clients({ bufnr = bufnr, name = 'galley' })
end

-- The LSP diagnostics this client published for the buffer, as the server sent them: its
-- fix-all may read the edits carried in each diagnostic's `data`.
---@param bufnr integer
---@param client vim.lsp.Client
---@return lsp.Diagnostic[]
local function lsp_diagnostics(bufnr, client)
  local found = {}
  for _, is_pull in ipairs({ false, true }) do
    local ns = vim.lsp.diagnostic.get_namespace(client.id, is_pull)
    for _, d in ipairs(vim.diagnostic.get(bufnr, { namespace = ns })) do
      local original = d.user_data and d.user_data.lsp
      if original then
        table.insert(found, original)
      end
    end
  end
  return found
end

---@param client vim.lsp.Client
---@param action lsp.CodeAction
local function apply(client, action, bufnr)
  if action.edit then
    vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
  end
  if type(action.command) == 'table' then
    client:exec_cmd(action.command, { bufnr = bufnr })
  end
end

--- Applies the server's fix-all code action to a buffer (default: the current one).
---@param bufnr? integer
---@param on_done? fun(applied: boolean) called once the edit is applied (or nothing was found)
function M.fix_all(bufnr, on_done)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  on_done = on_done or function() end
  local client = clients(bufnr)[1]
  if not client then
    vim.notify('galley: no Galley server is attached to this buffer', vim.log.levels.WARN)
    on_done(false)
    return
  end
  local last = vim.api.nvim_buf_line_count(bufnr)
  local params = {
    textDocument = vim.lsp.util.make_text_document_params(bufnr),
    range = {
      start = { line = 0, character = 0 },
      ['end'] = { line = last, character = 0 },
    },
    context = {
      only = { FIX_ALL },
      diagnostics = lsp_diagnostics(bufnr, client),
      triggerKind = vim.lsp.protocol.CodeActionTriggerKind.Invoked,
    },
  }
  client:request('textDocument/codeAction', params, function(err, result)
    if err then
      vim.notify('galley: fix-all failed: ' .. err.message, vim.log.levels.ERROR)
      on_done(false)
      return
    end
    local action
    for _, candidate in ipairs(result or {}) do
      if candidate.kind == FIX_ALL or vim.startswith(candidate.kind or '', FIX_ALL .. '.') then
        action = candidate
        break
      end
    end
    if not action then
      vim.notify('galley: nothing to fix automatically in this draft', vim.log.levels.INFO)
      on_done(false)
      return
    end
    if action.edit or not client:supports_method('codeAction/resolve') then
      apply(client, action, bufnr)
      on_done(true)
      return
    end
    client:request('codeAction/resolve', action, function(resolve_err, resolved)
      if resolve_err or not resolved then
        vim.notify('galley: fix-all could not be resolved', vim.log.levels.ERROR)
        on_done(false)
        return
      end
      apply(client, resolved, bufnr)
      on_done(true)
    end, bufnr)
  end, bufnr)
end

return M
