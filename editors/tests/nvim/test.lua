-- End-to-end test of the Neovim plugin against the real `galley` binary, run headless by
-- run.sh: the plugin is installed as a package (`packadd`, as editors/nvim/README.md shows),
-- then drafts are checked and fixed through Neovim's own LSP client.
local site = assert(vim.env.GALLEY_PACK_SITE, 'GALLEY_PACK_SITE unset')
local bin = assert(vim.env.GALLEY_BIN, 'GALLEY_BIN unset')
local work = assert(vim.env.GALLEY_WORK, 'GALLEY_WORK unset')
local fixtures = assert(vim.env.GALLEY_FIXTURES, 'GALLEY_FIXTURES unset')

vim.opt.packpath:prepend(site)
vim.cmd.packadd('galley')
vim.opt.swapfile = false
require('galley').setup({ cmd = { bin, 'lsp' } })

local TIMEOUT = 15000

local function say(message)
  io.stdout:write(message .. '\n')
end

local function read_lines(path)
  return vim.fn.readfile(path)
end

local scenario = vim.json.decode(table.concat(read_lines(fixtures .. '/scenario.json'), '\n'))
local date_line = vim.regex('\\v' .. scenario.dateLine)

local function galley_diagnostics(buf, code)
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.source == 'galley' and (code == nil or d.code == code) then
      table.insert(found, d)
    end
  end
  table.sort(found, function(a, b)
    return a.lnum < b.lnum
  end)
  return found
end

local function describe(buf)
  local parts = {}
  for _, d in ipairs(galley_diagnostics(buf)) do
    table.insert(parts, ('%s@%d:%d-%d:%d'):format(d.code, d.lnum, d.col, d.end_lnum, d.end_col))
  end
  return '[' .. table.concat(parts, ', ') .. ']'
end

local function wait_for(what, condition)
  if not vim.wait(TIMEOUT, condition, 20) then
    error('timed out waiting for ' .. what, 2)
  end
end

local function check(ok, message)
  if not ok then
    error(message, 2)
  end
end

local function lines(buf)
  return vim.api.nvim_buf_get_lines(buf, 0, -1, false)
end

local function same_lines(a, b)
  return table.concat(a, '\n') == table.concat(b, '\n')
end

local function show_diff(actual, expected)
  return vim.diff(table.concat(expected, '\n') .. '\n', table.concat(actual, '\n') .. '\n') or ''
end

-- The diagnostic covers its whole paragraph: exactly to the end of its last line (byte column,
-- as Neovim stores it), or to the start of the next line. Emoji and accents on the line make a
-- server that counts columns in the wrong encoding fail here.
local function check_paragraph_range(buf, d, first, last)
  local last_line = vim.api.nvim_buf_get_lines(buf, last, last + 1, false)[1]
  check(d.lnum == first and d.col == 0, ('%s starts at %d:%d, expected %d:0'):format(d.code, d.lnum, d.col, first))
  local to_line_end = d.end_lnum == last and d.end_col == #last_line
  local to_next_line = d.end_lnum == last + 1 and d.end_col == 0
  check(to_line_end or to_next_line, ('%s ends at %d:%d, expected %d:%d (end of the line) or %d:0'):format(
    d.code, d.end_lnum, d.end_col, last, #last_line, last + 1))
end

-- Applies, through vim.lsp.buf.code_action as a user would, the preferred quick fix of the
-- diagnostic with `code` on the cursor's line.
local function apply_quick_fix(d, code)
  vim.api.nvim_win_set_cursor(0, { d.lnum + 1, d.col })
  vim.lsp.buf.code_action({
    apply = true,
    context = { only = { 'quickfix' } },
    filter = function(action)
      if action.kind ~= 'quickfix' or not action.isPreferred then
        return false
      end
      for _, diagnostic in ipairs(action.diagnostics or {}) do
        if diagnostic.code == code then
          return true
        end
      end
      return false
    end,
  })
end

local function plain_draft()
  local s = scenario.plain
  vim.cmd.edit(vim.fn.fnameescape(work .. '/' .. s.file))
  local buf = vim.api.nvim_get_current_buf()
  local original = lines(buf)
  wait_for('duplicate and missing-date diagnostics', function()
    return #galley_diagnostics(buf, 'duplicate-paragraph') > 0 and #galley_diagnostics(buf, 'missing-date') > 0
  end)
  local client = vim.lsp.get_clients({ bufnr = buf, name = 'galley' })[1]
  say(('nvim: attached, position encoding %s, diagnostics %s'):format(client.offset_encoding, describe(buf)))

  local dups = galley_diagnostics(buf, 'duplicate-paragraph')
  check(#dups == 1, 'expected one duplicate-paragraph, got ' .. describe(buf))
  check_paragraph_range(buf, dups[1], s.duplicate.line, s.duplicate.line)
  local date = galley_diagnostics(buf, 'missing-date')
  check(#date == 1, 'expected one missing-date, got ' .. describe(buf))
  check(date[1].lnum == s.missingDate.line,
    ('missing-date on line %d, expected line %d'):format(date[1].lnum, s.missingDate.line))

  apply_quick_fix(dups[1], 'duplicate-paragraph')
  local deduplicated = read_lines(fixtures .. '/' .. s.deduplicated)
  local ok = vim.wait(TIMEOUT, function()
    return same_lines(lines(buf), deduplicated)
  end, 20)
  check(ok, 'removing the duplicate did not give the expected draft:\n' .. show_diff(lines(buf), deduplicated))
  wait_for('the duplicate diagnostic to go', function()
    return #galley_diagnostics(buf, 'duplicate-paragraph') == 0
  end)

  apply_quick_fix(galley_diagnostics(buf, 'missing-date')[1], 'missing-date')
  wait_for('the date line', function()
    return #lines(buf) == #deduplicated + 1
  end)
  local now = lines(buf)
  local inserted = now[s.missingDate.insertLine + 1]
  check(date_line:match_str(inserted) ~= nil, ('line %d is %q, not a date line'):format(s.missingDate.insertLine, inserted))
  local rest = vim.list_slice(now, 1, s.missingDate.insertLine)
  vim.list_extend(rest, vim.list_slice(now, s.missingDate.insertLine + 2))
  check(same_lines(rest, deduplicated), 'inserting the date changed other lines:\n' .. show_diff(rest, deduplicated))
  wait_for('no diagnostics left', function()
    return #galley_diagnostics(buf) == 0
  end)
  say('nvim: plain draft fixed, inserted ' .. inserted)
end

local function markdown_draft()
  local s = scenario.markdown
  vim.cmd.edit(vim.fn.fnameescape(work .. '/' .. s.file))
  local buf = vim.api.nvim_get_current_buf()
  wait_for('the duplicate diagnostic in Markdown', function()
    return #galley_diagnostics(buf, 'duplicate-paragraph') > 0
  end)
  local dups = galley_diagnostics(buf, 'duplicate-paragraph')
  check(#dups == 1, 'expected one duplicate-paragraph, got ' .. describe(buf))
  check_paragraph_range(buf, dups[1], s.duplicate.line, s.duplicate.endLine)

  -- An edit after an emoji on the same line: the server must apply the incremental change at
  -- the right column, or the paragraph never becomes the exact duplicate it now is.
  local line = vim.api.nvim_buf_get_lines(buf, s.edit.line, s.edit.line + 1, false)[1]
  local from = assert(line:find(s.edit.delete, 1, true), 'edit target not in the fixture') - 1
  vim.api.nvim_buf_set_text(buf, s.edit.line, from, s.edit.line, from + #s.edit.delete, {})
  wait_for('the edited paragraph to be flagged as a duplicate', function()
    for _, d in ipairs(galley_diagnostics(buf, 'duplicate-paragraph')) do
      if d.lnum == s.edit.line then
        return true
      end
    end
    return false
  end)
  for _, d in ipairs(galley_diagnostics(buf, 'duplicate-paragraph')) do
    if d.lnum == s.edit.line then
      check_paragraph_range(buf, d, s.edit.line, s.edit.line)
    end
  end

  vim.cmd('GalleyFixAll')
  local fixed = read_lines(fixtures .. '/' .. s.fixed)
  local ok = vim.wait(TIMEOUT, function()
    return same_lines(lines(buf), fixed)
  end, 20)
  check(ok, ':GalleyFixAll did not give the expected draft:\n' .. show_diff(lines(buf), fixed))
  wait_for('no duplicate diagnostics left', function()
    return #galley_diagnostics(buf, 'duplicate-paragraph') == 0 and #galley_diagnostics(buf, 'near-duplicate-paragraph') == 0
  end)
  say('nvim: markdown draft fixed with :GalleyFixAll')
end

local function health()
  vim.cmd('checkhealth galley')
  local report = table.concat(lines(0), '\n')
  check(report:find('OK found ' .. bin, 1, true) ~= nil, 'checkhealth did not find the binary:\n' .. report)
  check(report:find('OK version: galley', 1, true) ~= nil, 'checkhealth did not report the version:\n' .. report)
  check(report:find('OK using ' .. work .. '/galley.toml', 1, true) ~= nil, 'checkhealth did not find galley.toml:\n' .. report)
  say('nvim: checkhealth galley ok')
end

vim.api.nvim_create_autocmd('VimEnter', {
  nested = true,
  once = true,
  callback = function()
    local ok, err = xpcall(function()
      plain_draft()
      markdown_draft()
      health()
    end, debug.traceback)
    if ok then
      say('nvim: all checks passed')
      vim.cmd('qall!')
    else
      io.stderr:write('nvim: FAILED: ' .. tostring(err) .. '\n')
      vim.cmd('cquit 1')
    end
  end,
})
