package org.coursebot.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/** Multi-line code blocks in the languages a full-stack course shows: JavaScript, shell sessions and SQL. */
final class CodeSamples {

    /** A resource the samples are about, with its two fields, e.g. notes with content and important. */
    private record Resource(String plural, String singular, String field, String flag) {
    }

    private static final List<Resource> RESOURCES = List.of(
            new Resource("notes", "note", "content", "important"),
            new Resource("persons", "person", "name", "favourite"),
            new Resource("blogs", "blog", "title", "published"),
            new Resource("anecdotes", "anecdote", "content", "featured"),
            new Resource("users", "user", "username", "disabled"),
            new Resource("comments", "comment", "text", "hidden"),
            new Resource("readings", "reading", "author", "read"),
            new Resource("courses", "course", "name", "archived"));

    private static final List<String> PORTS = List.of("3001", "3000", "3003", "8080", "5173");

    private static final List<String> JS_OPENINGS = List.of(
            """
            const express = require('express')
            const app = express()
            """,
            """
            import { useState, useEffect } from 'react'
            import axios from 'axios'
            """,
            """
            const mongoose = require('mongoose')
            const config = require('./utils/config')
            const logger = require('./utils/logger')
            """,
            """
            const { test, describe, beforeEach } = require('node:test')
            const assert = require('node:assert')
            const supertest = require('supertest')
            const app = require('../app')
            const api = supertest(app)
            """,
            """
            import { createSlice } from '@reduxjs/toolkit'
            import %one%Service from '../services/%res%'
            """,
            """
            const { Model, DataTypes } = require('sequelize')
            const { sequelize } = require('../util/db')
            """);

    private static final List<String> JS_BLOCKS = List.of(
            """
            app.get('/api/%res%/:id', async (request, response) => {
              const %one% = await %Model%.findById(request.params.id)
              if (%one%) {
                response.json(%one%)
              } else {
                response.status(404).end()
              }
            })
            """,
            """
            app.post('/api/%res%', async (request, response, next) => {
              const body = request.body
              if (!body.%field%) {
                return response.status(400).json({ error: '%field% missing' })
              }
              const %one% = new %Model%({
                %field%: body.%field%,
                %flag%: body.%flag% || false,
              })
              try {
                const saved%Model% = await %one%.save()
                response.status(201).json(saved%Model%)
              } catch (exception) {
                next(exception)
              }
            })
            """,
            """
            app.delete('/api/%res%/:id', async (request, response) => {
              await %Model%.findByIdAndDelete(request.params.id)
              response.status(204).end()
            })
            """,
            """
            const %Model% = ({ %one%, onToggle }) => {
              const label = %one%.%flag% ? 'hide details' : 'show details'
              return (
                <li className='%one%'>
                  {%one%.%field%}
                  <button onClick={onToggle}>{label}</button>
                </li>
              )
            }
            """,
            """
            useEffect(() => {
              console.log('effect')
              %one%Service
                .getAll()
                .then(initial%Model%s => {
                  set%Model%s(initial%Model%s)
                })
            }, [])
            """,
            """
            test('%res% are returned as json', async () => {
              await api
                .get('/api/%res%')
                .expect(200)
                .expect('Content-Type', /application\\/json/)
            })
            """,
            """
            test('a valid %one% can be added', async () => {
              const new%Model% = { %field%: 'written by a test', %flag%: true }
              await api.post('/api/%res%').send(new%Model%).expect(201)
              const %res%AtEnd = await helper.%res%InDb()
              assert.strictEqual(%res%AtEnd.length, helper.initial%Model%s.length + 1)
            })
            """,
            """
            const %one%Reducer = (state = [], action) => {
              switch (action.type) {
                case 'NEW_%MODEL%':
                  return [...state, action.payload]
                case 'REMOVE_%MODEL%':
                  return state.filter(%one% => %one%.id !== action.payload.id)
                default:
                  return state
              }
            }
            """,
            """
            const %one%Schema = new mongoose.Schema({
              %field%: {
                type: String,
                required: true,
                minLength: 5,
              },
              %flag%: Boolean,
              user: { type: mongoose.Schema.Types.ObjectId, ref: 'User' },
            })
            """,
            """
            const errorHandler = (error, request, response, next) => {
              console.error(error.message)
              if (error.name === 'CastError') {
                return response.status(400).send({ error: 'malformatted id' })
              } else if (error.name === 'ValidationError') {
                return response.status(400).json({ error: error.message })
              }
              next(error)
            }
            """,
            """
            const baseUrl = '/api/%res%'

            const getAll = async () => {
              const response = await axios.get(baseUrl)
              return response.data
            }

            const create = async new%Model% => {
              const response = await axios.post(baseUrl, new%Model%, config)
              return response.data
            }
            """,
            """
            const PORT = process.env.PORT || %port%
            app.listen(PORT, () => {
              console.log(`Server running on port ${PORT}`)
            })
            """,
            """
            class %Model% extends Model {}
            %Model%.init({
              id: {
                type: DataTypes.INTEGER,
                primaryKey: true,
                autoIncrement: true
              },
              %field%: {
                type: DataTypes.TEXT,
                allowNull: false
              },
              %flag%: {
                type: DataTypes.BOOLEAN
              }
            }, {
              sequelize,
              underscored: true,
              timestamps: false,
              modelName: '%one%'
            })
            """,
            """
            const useField = (type) => {
              const [value, setValue] = useState('')

              const onChange = (event) => {
                setValue(event.target.value)
              }

              return { type, value, onChange }
            }
            """,
            """
            <Router>
              <div>
                <Link style={padding} to="/">home</Link>
                <Link style={padding} to="/%res%">%res%</Link>
              </div>
              <Routes>
                <Route path="/%res%/:id" element={<%Model% %one%={%one%} />} />
                <Route path="/%res%" element={<%Model%List %res%={%res%} />} />
                <Route path="/" element={<Home />} />
              </Routes>
            </Router>
            """);

    private static final List<String> SHELL_BLOCKS = List.of(
            """
            $ npm install express
            added 64 packages, and audited 65 packages in 3s
            found 0 vulnerabilities
            """,
            """
            $ npm run dev

            > %res%-backend@0.0.1 dev
            > node --watch index.js

            Server running on port %port%
            """,
            """
            $ curl -s http://localhost:%port%/api/%res%/1
            {"id":"1","%field%":"HTML is easy","%flag%":true}
            """,
            """
            $ git add .
            $ git commit -m "validate the %field% of a %one%"
            $ git push origin main
            """,
            """
            $ docker compose up -d
            [+] Running 2/2
             ✔ Container %res%-db-1       Started
             ✔ Container %res%-backend-1  Started
            """,
            """
            $ npm test -- --test-only

            > %res%-backend@0.0.1 test
            > NODE_ENV=test node --test

            ✔ %res% are returned as json (412.5ms)
            ℹ tests 1
            ℹ pass 1
            ℹ fail 0
            """,
            """
            $ fly deploy
            ==> Verifying app config
            --> Verified app config
            ==> Building image
            --> Pushing image done
            """,
            """
            $ npx eslint index.js
            /home/student/%res%-backend/index.js
              12:3  error  Expected indentation of 4 spaces  indent
            ✖ 1 problem (1 error, 0 warnings)
            """,
            """
            $ npm install --save-dev nodemon
            $ npm install mongoose dotenv
            $ echo "MONGODB_URI=mongodb://localhost:27017/%res%" >> .env
            """);

    private static final List<String> SQL_BLOCKS = List.of(
            """
            CREATE TABLE %res% (
                id SERIAL PRIMARY KEY,
                %field% text NOT NULL,
                %flag% boolean DEFAULT false,
                user_id integer REFERENCES users(id),
                created_at timestamp DEFAULT now()
            );
            """,
            """
            INSERT INTO %res% (%field%, %flag%) VALUES ('Relational databases rule the world', true);
            INSERT INTO %res% (%field%, %flag%) VALUES ('MongoDB is webscale', false);
            """,
            """
            SELECT %res%.id, %res%.%field%, users.name
            FROM %res%
            JOIN users ON users.id = %res%.user_id
            WHERE %res%.%flag% = true
            ORDER BY %res%.id DESC
            LIMIT 10;
            """,
            """
             id | %field%                              | %flag%
            ----+--------------------------------------+-------
              1 | Relational databases rule the world  | t
              2 | MongoDB is webscale                  | f
            (2 rows)
            """,
            """
            BEGIN;
            UPDATE %res% SET %flag% = NOT %flag% WHERE id = 2;
            SELECT count(*) FROM %res% WHERE %flag%;
            COMMIT;
            """,
            """
            CREATE INDEX %res%_user_id_idx ON %res% (user_id);
            EXPLAIN SELECT * FROM %res% WHERE user_id = 1;
            """);

    private CodeSamples() {
    }

    /** A code block of 10–40 lines: {language class suffix, code}, in the part's mix of languages. */
    static String[] block(Random random, CourseText.Part part) {
        int dice = random.nextInt(100);
        String language = dice < part.jsPercent() ? "js" : dice < part.jsPercent() + part.shellPercent() ? "bash" : "sql";
        List<String> blocks = switch (language) {
            case "js" -> JS_BLOCKS;
            case "bash" -> SHELL_BLOCKS;
            default -> SQL_BLOCKS;
        };
        Resource resource = CourseText.pick(random, RESOURCES);
        String port = CourseText.pick(random, PORTS);
        int targetLines = 10 + random.nextInt(31);
        List<String> parts = new ArrayList<>();
        int lines = 0;
        if (language.equals("js")) {
            String opening = CourseText.pick(random, JS_OPENINGS).strip();
            parts.add(opening);
            lines = opening.split("\n").length;
        }
        List<String> shuffled = new ArrayList<>(blocks);
        Collections.shuffle(shuffled, random);
        for (String block : shuffled) {
            if (lines >= targetLines) {
                break;
            }
            int added = block.strip().split("\n").length + (parts.isEmpty() ? 0 : 1);
            if (lines + added <= 40) {
                parts.add(block.strip());
                lines += added;
            }
        }
        String text = String.join("\n\n", parts)
                .replace("%res%", resource.plural())
                .replace("%one%", resource.singular())
                .replace("%Model%", Character.toUpperCase(resource.singular().charAt(0)) + resource.singular().substring(1))
                .replace("%MODEL%", resource.singular().toUpperCase(Locale.ROOT))
                .replace("%field%", resource.field())
                .replace("%flag%", resource.flag())
                .replace("%port%", port);
        return new String[] {language, text};
    }
}
