-- Default client configuration for the Galley language server, found by Neovim 0.11+ on the
-- runtimepath, so that `vim.lsp.enable('galley')` works with no other setup.
-- Override any field with `vim.lsp.config('galley', {...})` or `require('galley').setup({...})`.

---@type vim.lsp.Config
return {
  cmd = { 'galley', 'lsp' },
  filetypes = { 'text', 'markdown' },
  root_markers = { 'galley.toml', '.git' },
  -- Answered to the server's workspace/configuration requests for the `galley` section; an
  -- empty table leaves every value to galley.toml and the server's defaults.
  settings = { galley = vim.empty_dict() },
}
