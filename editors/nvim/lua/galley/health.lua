-- `:checkhealth galley`: is the server binary there, which version, is there a galley.toml
-- for the current file, and is a client running.
local M = {}

local function configured_cmd()
  local config = vim.lsp.config.galley
  local cmd = config and config.cmd
  if type(cmd) == 'table' and type(cmd[1]) == 'string' then
    return cmd
  end
  return nil
end

function M.check()
  vim.health.start('Neovim')
  if vim.fn.has('nvim-0.11') == 1 then
    vim.health.ok('Neovim ' .. tostring(vim.version()))
  else
    vim.health.error('Galley needs Neovim 0.11 or newer', { 'Upgrade Neovim' })
  end

  vim.health.start('galley binary')
  local cmd = configured_cmd()
  if not cmd then
    vim.health.error('no `galley` LSP config found (lsp/galley.lua is not on the runtimepath)', {
      'Install the plugin so that its folder is on the runtimepath (see editors/nvim/README.md)',
    })
  else
    local exe = vim.fn.exepath(cmd[1])
    if exe == '' then
      vim.health.error(('`%s` not found or not executable'):format(cmd[1]), {
        'Install it with `cargo install --path .` from a Galley checkout',
        "or point the plugin at it: require('galley').setup({ cmd = { '/path/to/galley', 'lsp' } })",
      })
    else
      vim.health.ok('found ' .. exe)
      local run = vim.system({ exe, '--version' }, { text = true }):wait(5000)
      if run.code == 0 then
        vim.health.ok('version: ' .. vim.trim(run.stdout or ''))
      else
        vim.health.error(('`%s --version` failed (exit %s): %s'):format(exe, tostring(run.code), vim.trim(run.stderr or '')))
      end
    end
  end

  vim.health.start('galley.toml')
  -- The health buffer is current while this runs, so look where the running clients are
  -- rooted, then in the working directory.
  local places = {}
  for _, client in ipairs(vim.lsp.get_clients({ name = 'galley' })) do
    if client.root_dir then
      table.insert(places, client.root_dir)
    end
  end
  table.insert(places, vim.fn.getcwd())
  local reported = {}
  for _, dir in ipairs(places) do
    local found = vim.fs.find('galley.toml', { upward = true, path = dir, type = 'file' })[1]
    local line = found and ('using ' .. found) or ('no galley.toml in or above ' .. dir .. ': built-in defaults apply')
    if not reported[line] then
      reported[line] = true
      if found then
        vim.health.ok(line)
      else
        vim.health.info(line)
      end
    end
  end

  vim.health.start('language server')
  local running = vim.lsp.get_clients({ name = 'galley' })
  if #running == 0 then
    vim.health.info("no Galley client running (open a .txt or .md draft after vim.lsp.enable('galley'))")
  else
    for _, client in ipairs(running) do
      vim.health.ok(('client %d running, root %s, position encoding %s'):format(
        client.id, client.root_dir or '(none)', client.offset_encoding))
    end
  end
end

return M
